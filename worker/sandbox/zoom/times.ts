/**
 * Zoom's time strings: `yyyy-MM-ddTHH:mm:ssZ` is GMT; the same without `Z` is a wall-clock time in
 * the meeting's `timezone` (contract §3). Anything else is a validation error, never a 500. Pure.
 */
import { isTimeZone } from "../../lib/validation";

/** Zoom writes times to the second: `2026-12-10T15:00:00Z`. */
export const zoomIso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z?)$/;

/** The zone's wall clock at `t`, read as if it were UTC (so wall − t is the zone's offset). */
function wallClock(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(t));
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)])) as Record<
    string,
    number
  >;
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
}

/** The instant a Zoom `start_time` names, or null when it is not one of Zoom's two shapes. */
export function parseStartTime(value: string, timeZone: string): number | null {
  const m = SHAPE.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, z] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls 2026-02-31 over into March: a date that does not round-trip is not a date.
  if (new Date(wall).toISOString().slice(0, 19) !== value.slice(0, 19)) return null;
  if (z) return wall;
  if (!isTimeZone(timeZone)) return null;
  // The offset in force at the guess, then once more in case the guess crossed a DST change.
  const guess = wall - (wallClock(wall, timeZone) - wall);
  return wall - (wallClock(guess, timeZone) - guess);
}
