/**
 * Date overrides: Calendly date rules, which replace one calendar date's weekly hours in the
 * schedule's zone (`intervals: []` = unavailable all day). Pure helpers for the form and the list;
 * the checks mirror the worker's schema (HH:MM, from < to, no overlap), so Calendly never sees a
 * rule the form let through and then refuses it.
 */
import { TZDate } from "@date-fns/tz";
import { type Interval, type Rule, SNAP, toHhmm, toMinutes } from "./blocks";

export type DateRule = Extract<Rule, { type: "date" }>;

/** What the form edits; `intervals` survive a switch to "all day" so switching back restores them. */
export type OverrideDraft = { date: string; allDay: boolean; intervals: Interval[] };

export type OverrideErrors = {
  date?: string;
  /** Set when another override already has this date (the form offers to edit that one instead). */
  taken?: string;
  intervals: (string | undefined)[];
};

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Calendly (and the worker) allow a day's last interval to end at midnight, "24:00". */
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const emptyDraft = (): OverrideDraft => ({
  date: "",
  allDay: true,
  intervals: [{ from: "09:00", to: "17:00" }],
});

/** Today's calendar date in the schedule's zone ("YYYY-MM-DD"): overrides are dates there. */
export function todayIn(zone: string, now = Date.now()) {
  const t = new TZDate(now, zone);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * "Fri 11 Dec 2026". Spelled out by hand rather than with Intl: a date rule is a wall-clock date,
 * not an instant, so no zone may shift it, and the words should read the same in every browser.
 */
export function formatDate(date: string) {
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${DAY_NAMES[weekday]} ${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

export const sortIntervals = (intervals: Interval[]) =>
  [...intervals].sort((a, b) => a.from.localeCompare(b.from));

/** "09:00–12:00, 14:00–16:00", or "unavailable all day" for an empty list. */
export function describeHours(intervals: Interval[]) {
  if (intervals.length === 0) return "unavailable all day";
  return sortIntervals(intervals)
    .map((iv) => `${iv.from}–${iv.to}`)
    .join(", ");
}

export const describeOverride = (rule: DateRule) =>
  `${formatDate(rule.date)} — ${describeHours(rule.intervals)}`;

/** The date rules among `rules`, earliest first (ISO dates sort as strings). */
export const sortOverrides = (rules: Rule[]) =>
  rules
    .filter((r): r is DateRule => r.type === "date")
    .sort((a, b) => a.date.localeCompare(b.date));

/** One message per interval row (undefined = fine); an overlap is reported on the later row. */
export function validateIntervals(intervals: Interval[]): (string | undefined)[] {
  return intervals.map((iv, i) => {
    if (!HHMM.test(iv.from) || !END.test(iv.to)) return "Enter a start and an end time.";
    if (toMinutes(iv.from) % SNAP || toMinutes(iv.to) % SNAP) {
      return "Use 15-minute steps (for example 09:15).";
    }
    if (iv.from >= iv.to) return "The end must be after the start.";
    const other = intervals
      .slice(0, i)
      .find((o) => HHMM.test(o.from) && END.test(o.to) && o.from < iv.to && iv.from < o.to);
    return other ? `Overlaps ${other.from}–${other.to}; intervals must not overlap.` : undefined;
  });
}

/**
 * Everything wrong with a draft. `editing` is the date of the override being edited, which the
 * draft may keep; any other existing date is taken.
 */
export function validateOverride(
  draft: OverrideDraft,
  ctx: { today: string; existing: string[]; editing?: string | null },
): OverrideErrors {
  const intervals = draft.allDay ? [] : validateIntervals(draft.intervals);
  if (!draft.date) return { date: "Pick a date.", intervals };
  if (draft.date < ctx.today) {
    return { date: "That date has passed; pick today or a later date.", intervals };
  }
  if (draft.date !== ctx.editing && ctx.existing.includes(draft.date)) {
    return { taken: `${formatDate(draft.date)} already has an override.`, intervals };
  }
  return { intervals };
}

export const isValid = (e: OverrideErrors) =>
  !e.date && !e.taken && e.intervals.every((m) => m === undefined);

export const toRule = (draft: OverrideDraft): DateRule => ({
  type: "date",
  date: draft.date,
  intervals: draft.allDay ? [] : sortIntervals(draft.intervals),
});

export const toDraft = (rule: DateRule): OverrideDraft =>
  rule.intervals.length
    ? { date: rule.date, allDay: false, intervals: sortIntervals(rule.intervals) }
    : { ...emptyDraft(), date: rule.date };

/**
 * The rules with `rule` in place of the override dated `replacing` (or of one with the same date),
 * else added at the end. In place, so an edit that changes nothing leaves the page not dirty.
 */
export function upsertOverride(rules: Rule[], rule: DateRule, replacing?: string | null): Rule[] {
  const dates = new Set([rule.date, ...(replacing ? [replacing] : [])]);
  const at = rules.findIndex((r) => r.type === "date" && dates.has(r.date));
  const rest = rules.filter((r) => !(r.type === "date" && dates.has(r.date)));
  if (at < 0) return [...rest, rule];
  return [...rest.slice(0, at), rule, ...rest.slice(at)];
}

export const removeOverride = (rules: Rule[], date: string) =>
  rules.filter((r) => !(r.type === "date" && r.date === date));

/**
 * A next interval for "Add interval": an hour, after an hour's gap from the last one when the day
 * has room, else straight after it; blank (for the coach to fill) when the day is full.
 */
export function nextInterval(intervals: Interval[]): Interval {
  const last = sortIntervals(intervals).at(-1);
  if (!last || !HHMM.test(last.to)) return { from: "09:00", to: "17:00" };
  const latest = 24 * 60 - SNAP; // a time input cannot say 24:00
  const after = toMinutes(last.to);
  const start = after + 120 <= latest ? after + 60 : after;
  const end = Math.min(latest, start + 60);
  return end > start ? { from: toHhmm(start), to: toHhmm(end) } : { from: "", to: "" };
}
