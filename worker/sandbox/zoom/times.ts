/**
 * Zoom's time strings: `yyyy-MM-ddTHH:mm:ssZ` is GMT; the same without `Z` is a wall-clock time in
 * the meeting's `timezone` (contract §3). Anything else is a validation error, never a 500. Pure.
 */
import { isTimeZone } from "../../lib/validation";
import { fromWallClock } from "../../lib/wall-clock";

/** Zoom writes times to the second: `2026-12-10T15:00:00Z`. */
export const zoomIso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z?)$/;

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
  return fromWallClock(wall, timeZone);
}
