/**
 * Calendar days in a time zone as UTC instant ranges, the unit the availability cache stores. A day
 * runs from its first local instant to the next day's, so a DST day is 23 or 25 hours long and the
 * days of a zone tile time without gaps or overlaps. Pure: only Intl, no clock.
 */

import { fromWallClock, wallClock } from "../lib/wall-clock";

export type DayBucket = { date: string; start: number; end: number };

const DAY_MS = 86_400_000;

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
  const t = fromWallClock(midnight, timeZone);
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
