/**
 * Calendar days in a time zone as UTC instant ranges, the unit the availability cache stores. A day
 * runs from its first local instant to the next day's, so a DST day is 23 or 25 hours long and the
 * days of a zone tile time without gaps or overlaps. Pure: only Intl, no clock.
 */

export type DayBucket = { date: string; start: number; end: number };

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at `t`, read as if it were UTC (so wall − t is the zone's offset). */
function wallClock(t: number, timeZone: string): number {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(t))
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
}

/** The calendar day (YYYY-MM-DD) that instant `t` falls on in the zone. */
export function localDate(t: number, timeZone: string): string {
  return new Date(wallClock(t, timeZone)).toISOString().slice(0, 10);
}

const nextDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

const HOUR_MS = 3_600_000;

/**
 * The first instant of `date` in the zone: local midnight, or where the clock jumps past a
 * midnight that does not exist (zones that start DST at 00:00, e.g. America/Santiago).
 */
export function dayStart(date: string, timeZone: string): number {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  // Midnight under the offset in force then; the second step corrects for a change in between.
  const guess = midnight - (wallClock(midnight, timeZone) - midnight);
  const t = midnight - (wallClock(guess, timeZone) - guess);
  if (localDate(t, timeZone) === date && localDate(t - 1, timeZone) < date) return t;
  // No local midnight: bisect for the first instant on the date (offsets span −12 h to +14 h).
  let before = midnight - 15 * HOUR_MS;
  let on = midnight + 13 * HOUR_MS;
  while (on - before > 1) {
    const mid = Math.floor((before + on) / 2);
    if (localDate(mid, timeZone) >= date) on = mid;
    else before = mid;
  }
  return on;
}

/** The day buckets a window [from, to] touches, in order. */
export function daysCovering(from: number, to: number, timeZone: string): DayBucket[] {
  const days: DayBucket[] = [];
  let date = localDate(from, timeZone);
  let start = dayStart(date, timeZone);
  while (start <= to) {
    const next = nextDate(date);
    const end = dayStart(next, timeZone);
    days.push({ date, start, end });
    date = next;
    start = end;
  }
  return days;
}
