/**
 * The seeded coaches' *external* calendars (what Calendly calls "check for conflicts"): a weekly
 * appointment each, so busy times and conflicts can be seen in the sandbox. Calendly leaves these
 * hours out of the offered slots; so does the fake.
 */
import { TZDate } from "@date-fns/tz";

const DAY = 86_400_000;
/** Weekday (0 = Sunday), start and end minute, in the coach's own zone. */
const WEEKLY: Record<string, { wday: number; from: number; to: number }[]> = {
  "dana-reyes": [{ wday: 3, from: 10 * 60 + 30, to: 11 * 60 + 30 }],
  "lee-park": [{ wday: 4, from: 14 * 60, to: 15 * 60 }],
};

export function externalBusy(
  user: { slug: string; timezone: string },
  from: number,
  to: number,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let t = from - DAY; t < to + DAY; t += DAY) {
    const local = new TZDate(t, user.timezone);
    for (const b of WEEKLY[user.slug] ?? []) {
      if (local.getDay() !== b.wday) continue;
      const at = (minute: number) =>
        new TZDate(
          local.getFullYear(),
          local.getMonth(),
          local.getDate(),
          Math.floor(minute / 60),
          minute % 60,
          user.timezone,
        ).getTime();
      const start = at(b.from);
      const end = at(b.to);
      if (end > from && start < to && !out.some((o) => o.start === start)) out.push({ start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
