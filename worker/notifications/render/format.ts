/**
 * Times as a recipient reads them: in their own IANA zone, with the zone named, so "10:00" is never
 * ambiguous (a client in Berlin booking a New York coach; a week that crosses a DST change).
 * Intl does the zone arithmetic, so DST is whatever the tz database says for that instant.
 */

const LOCALE = "en-US";

/** A usable IANA zone: the one given when Intl knows it, otherwise UTC (never a thrown RangeError). */
export function usableZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone }).format(0);
    return timeZone;
  } catch {
    return "UTC";
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, key: string, options: Intl.DateTimeFormatOptions) {
  const id = `${zone}|${key}`;
  let f = formatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: zone });
    formatters.set(id, f);
  }
  return f;
}

/** "Thursday, December 10, 2026" */
export function formatDate(at: Date, timeZone: string): string {
  const zone = usableZone(timeZone);
  return fmt(zone, "date", {
    weekday: "long",
    year: "numeric",
    month: "long",
    day: "numeric",
  }).format(at);
}

/** "10:00 AM" */
export function formatClock(at: Date, timeZone: string): string {
  const zone = usableZone(timeZone);
  return fmt(zone, "clock", { hour: "numeric", minute: "2-digit" }).format(at);
}

/** The zone's short name at that instant: "EST" / "EDT" in New York, "GMT+1" / "GMT+2" in Berlin. */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const zone = usableZone(timeZone);
  const part = fmt(zone, "abbr", { hour: "numeric", timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? zone;
}

/**
 * "Thursday, December 10, 2026, 10:00 AM – 10:30 AM EST (America/New_York)". An end on another
 * local day repeats the date, so an overnight session never reads as ending before it starts.
 */
export function formatRange(startsAt: Date, endsAt: Date, timeZone: string): string {
  const zone = usableZone(timeZone);
  const startDate = formatDate(startsAt, zone);
  const endDate = formatDate(endsAt, zone);
  const end =
    endDate === startDate ? formatClock(endsAt, zone) : `${endDate}, ${formatClock(endsAt, zone)}`;
  return `${startDate}, ${formatClock(startsAt, zone)} – ${end} ${zoneAbbreviation(startsAt, zone)} (${zone})`;
}

/** "10:00 AM EST" — a start time with the zone's short name, for subjects and agenda lines. */
export function formatStart(at: Date, timeZone: string): string {
  const zone = usableZone(timeZone);
  return `${formatClock(at, zone)} ${zoneAbbreviation(at, zone)}`;
}

/** "in 1 hour", "in 24 hours", "in 30 minutes", "in 2 days" for a reminder's lead time. */
export function formatLead(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 2880) return `in ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "in 1 hour" : `in ${minutes / 60} hours`;
  return minutes === 1 ? "in 1 minute" : `in ${minutes} minutes`;
}
