/**
 * Per event type: its weekly hours (from Calendly's rules), and utilisation — booked hours ÷
 * available hours — for this week and next, weeks running Monday to Sunday in the schedule's zone.
 * Date rules replace their weekday's hours on that date, as Calendly applies them.
 */
import { TZDate } from "@date-fns/tz";
import type { Rule } from "../schemas/availability";

const WDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const minutes = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
};
const intervalMinutes = (ivs: { from: string; to: string }[]) =>
  ivs.reduce((sum, iv) => sum + minutes(iv.to) - minutes(iv.from), 0);
const ymd = (d: TZDate) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/** Hours of a typical week (weekday rules only). */
export const weeklyHours = (rules: Rule[]) =>
  rules.reduce((sum, r) => sum + (r.type === "wday" ? intervalMinutes(r.intervals) : 0), 0) / 60;

/** Monday 00:00 of the week containing `at`, `offset` weeks later, in `zone`. */
export function weekStart(at: number, zone: string, offset = 0): TZDate {
  const local = new TZDate(at, zone);
  const sinceMonday = (local.getDay() + 6) % 7;
  return new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() - sinceMonday + offset * 7,
    zone,
  );
}

/** Available hours in the week starting at `monday`, overrides included. */
export function availableHours(rules: Rule[], monday: TZDate): number {
  let total = 0;
  for (let i = 0; i < 7; i++) {
    const day = new TZDate(
      monday.getFullYear(),
      monday.getMonth(),
      monday.getDate() + i,
      monday.timeZone ?? "UTC",
    );
    const override = rules.find((r) => r.type === "date" && r.date === ymd(day));
    const weekly = rules.find((r) => r.type === "wday" && r.wday === WDAYS[day.getDay()]);
    total += intervalMinutes((override ?? weekly)?.intervals ?? []);
  }
  return total / 60;
}

export type Utilisation = { bookedHours: number; availableHours: number; ratio: number | null };

export function utilisation(bookedMinutes: number, available: number): Utilisation {
  const bookedHours = Math.round((bookedMinutes / 60) * 10) / 10;
  return {
    bookedHours,
    availableHours: Math.round(available * 10) / 10,
    ratio: available > 0 ? Math.round((bookedHours / available) * 1000) / 1000 : null,
  };
}
