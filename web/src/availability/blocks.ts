/**
 * The week calendar's model. Calendly keeps availability as wall-clock "HH:MM" intervals per weekday
 * in the schedule's time zone; the calendar draws blocks in minutes since midnight, snapped to 15.
 * Rendering and saving are exact inverses (property-tested); date rules (overrides) are kept as they
 * are. Viewing in another zone converts through real instants of a given week, so DST is respected.
 */
import { TZDate } from "@date-fns/tz";

export const SNAP = 15;
export const DAY_MINUTES = 24 * 60;
export const WEEKDAYS = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Interval = { from: string; to: string };
export type Rule =
  | { type: "wday"; wday: Weekday; intervals: Interval[] }
  | { type: "date"; date: string; intervals: Interval[] };
/** A block on a weekday, in minutes since the schedule zone's midnight: [start, end). */
export type Block = { day: Weekday; start: number; end: number };

export const toMinutes = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
};
export const toHhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export const snap = (minutes: number) =>
  Math.min(DAY_MINUTES, Math.max(0, Math.round(minutes / SNAP) * SNAP));

export function rulesToBlocks(rules: Rule[]): Block[] {
  return rules
    .flatMap((r) =>
      r.type === "wday"
        ? r.intervals.map((iv) => ({
            day: r.wday,
            start: toMinutes(iv.from),
            end: toMinutes(iv.to),
          }))
        : [],
    )
    .sort(byDayThenStart);
}

/** Weekday rules from blocks (merging touching or overlapping ones); date rules are kept. */
export function blocksToRules(blocks: Block[], keep: Rule[] = []): Rule[] {
  const weekly: Rule[] = WEEKDAYS.map((wday) => ({
    type: "wday" as const,
    wday,
    intervals: merge(blocks.filter((b) => b.day === wday)).map((b) => ({
      from: toHhmm(b.start),
      to: toHhmm(b.end),
    })),
  }));
  return [...weekly, ...keep.filter((r) => r.type === "date")];
}

export function merge(blocks: Block[]): Block[] {
  const sorted = [...blocks].sort(byDayThenStart);
  const out: Block[] = [];
  for (const b of sorted) {
    const last = out.at(-1);
    if (last && last.day === b.day && b.start <= last.end) last.end = Math.max(last.end, b.end);
    else out.push({ ...b });
  }
  return out;
}

function byDayThenStart(a: Block, b: Block) {
  return WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.start - b.start;
}

/** The instant a wall-clock minute of a calendar date has in `zone` (DST-aware). */
export function instantOf(date: { y: number; m: number; d: number }, minute: number, zone: string) {
  return new TZDate(
    date.y,
    date.m - 1,
    date.d,
    Math.floor(minute / 60),
    minute % 60,
    zone,
  ).getTime();
}

/** The wall-clock date and minute of an instant in `zone`. */
export function wallClockOf(instant: number, zone: string) {
  const t = new TZDate(instant, zone);
  return {
    date: { y: t.getFullYear(), m: t.getMonth() + 1, d: t.getDate() },
    minute: t.getHours() * 60 + t.getMinutes(),
  };
}

/** A block of the schedule's zone as seen from another zone on one date (for the view selector). */
export function viewIn(
  block: Block,
  date: { y: number; m: number; d: number },
  scheduleZone: string,
  viewZone: string,
) {
  const start = wallClockOf(instantOf(date, block.start, scheduleZone), viewZone);
  const end = wallClockOf(instantOf(date, block.end, scheduleZone), viewZone);
  return { start, end };
}

/** A busy time of the coming week placed on its weekday in the schedule's zone (clipped to a day). */
export type Busy = Block & { type: "calendly" | "external" };

export function busyOnWeekdays(
  items: { type: "calendly" | "external"; start: string; end: string }[],
  zone: string,
): Busy[] {
  return items.map((item) => {
    const start = new TZDate(Date.parse(item.start), zone);
    const end = wallClockOf(Date.parse(item.end), zone);
    const startMinute = start.getHours() * 60 + start.getMinutes();
    const sameDay = end.date.d === start.getDate();
    return {
      type: item.type,
      day: WEEKDAYS[start.getDay()] as Weekday,
      start: startMinute,
      end: sameDay ? Math.max(end.minute, startMinute + SNAP) : DAY_MINUTES,
    };
  });
}

/** Availability blocks that overlap an external busy time: those hours will not be offered. */
export function conflicts(blocks: Block[], busy: Busy[]) {
  return blocks.flatMap((b) =>
    busy
      .filter((x) => x.type === "external" && x.day === b.day && x.start < b.end && x.end > b.start)
      .map((x) => ({ block: b, busy: x })),
  );
}

/** The calendar date of the next `day` (today included) in `zone`. */
export function nextDateOf(day: Weekday, zone: string, now = Date.now()) {
  const today = new TZDate(now, zone);
  const ahead = (WEEKDAYS.indexOf(day) - today.getDay() + 7) % 7;
  const d = new TZDate(today.getFullYear(), today.getMonth(), today.getDate() + ahead, zone);
  return { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() };
}

/** "15:00–18:00" — a block's coming occurrence as the clock reads in another zone. */
export function labelIn(block: Block, scheduleZone: string, viewZone: string, now = Date.now()) {
  const date = nextDateOf(block.day, scheduleZone, now);
  const { start, end } = viewIn(block, date, scheduleZone, viewZone);
  const note =
    start.date.d !== date.d
      ? " (other day)"
      : end.date.d !== start.date.d
        ? " (ends next day)"
        : "";
  return `${toHhmm(start.minute)}–${toHhmm(end.minute)}${note}`;
}

/** The hours the week calendar draws when nothing lies outside them. */
export const DEFAULT_RANGE = { first: 6 * 60, last: 22 * 60 };

/**
 * The calendar's first and last minute: at least `minimum` (the default hours, or wider when the
 * coach asked), widened to whole hours so that every span shown (blocks, busy times, the draft)
 * fits — whole hours keep the hour lines and labels true.
 */
export function hourRange(spans: { start: number; end: number }[], minimum = DEFAULT_RANGE) {
  let { first, last } = minimum;
  for (const s of spans) {
    first = Math.min(first, Math.floor(s.start / 60) * 60);
    last = Math.max(last, Math.ceil(s.end / 60) * 60);
  }
  return { first: Math.max(0, first), last: Math.min(DAY_MINUTES, last) };
}

/** The calendar's columns: Monday first. */
export const WEEK_ORDER: Weekday[] = [...WEEKDAYS.slice(1), "sunday"];
export const dayLabel = (d: Weekday) => d[0]?.toUpperCase() + d.slice(1);
