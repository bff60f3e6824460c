import { describe, expect, it } from "vitest";
import { DEFAULT_RANGE, hourRange, type Rule } from "../../web/src/availability/blocks";
import {
  describeHours,
  describeOverride,
  emptyDraft,
  formatDate,
  isValid,
  nextInterval,
  removeOverride,
  sortOverrides,
  toDraft,
  todayIn,
  toRule,
  upsertOverride,
  validateIntervals,
  validateOverride,
} from "../../web/src/availability/overrides";

const monday: Rule = {
  type: "wday",
  wday: "monday",
  intervals: [{ from: "09:00", to: "17:00" }],
};
const dec11: Rule = {
  type: "date",
  date: "2026-12-11",
  intervals: [
    { from: "14:00", to: "16:00" },
    { from: "09:00", to: "12:00" },
  ],
};
const dec24: Rule = { type: "date", date: "2026-12-24", intervals: [] };
const ctx = { today: "2026-12-01", existing: ["2026-12-11", "2026-12-24"] };

describe("override words", () => {
  it("formats a date rule's date without any zone shifting it", () => {
    expect(formatDate("2026-12-11")).toBe("Fri 11 Dec 2026");
    expect(formatDate("2027-01-01")).toBe("Fri 1 Jan 2027");
    expect(formatDate("2028-02-29")).toBe("Tue 29 Feb 2028");
  });

  it("describes hours in time order, or a day off", () => {
    expect(describeOverride(dec11 as never)).toBe("Fri 11 Dec 2026 — 09:00–12:00, 14:00–16:00");
    expect(describeHours([])).toBe("unavailable all day");
    expect(describeOverride(dec24 as never)).toBe("Thu 24 Dec 2026 — unavailable all day");
  });

  it("lists only date rules, earliest first", () => {
    expect(sortOverrides([dec24, monday, dec11]).map((r) => r.date)).toEqual([
      "2026-12-11",
      "2026-12-24",
    ]);
  });

  it("knows today's date in the schedule's zone, not the browser's", () => {
    const lateInNewYork = Date.parse("2026-12-12T03:30:00Z"); // 22:30 on the 11th in New York
    expect(todayIn("America/New_York", lateInNewYork)).toBe("2026-12-11");
    expect(todayIn("Europe/Berlin", lateInNewYork)).toBe("2026-12-12");
  });
});

describe("override validation", () => {
  it("accepts ordered, touching or unordered intervals that do not overlap", () => {
    expect(
      validateIntervals([
        { from: "14:00", to: "16:00" },
        { from: "09:00", to: "12:00" },
        { from: "12:00", to: "13:00" },
        { from: "22:00", to: "24:00" }, // Calendly's "until midnight"
      ]),
    ).toEqual([undefined, undefined, undefined, undefined]);
    expect(validateIntervals([{ from: "24:00", to: "24:00" }])).toEqual([
      "Enter a start and an end time.",
    ]);
  });

  it("says which row ends before it starts, is incomplete, off the 15-minute grid or overlaps", () => {
    expect(
      validateIntervals([
        { from: "09:00", to: "12:00" },
        { from: "11:00", to: "10:00" },
        { from: "", to: "13:00" },
        { from: "13:10", to: "14:00" },
        { from: "11:30", to: "12:30" },
      ]),
    ).toEqual([
      undefined,
      "The end must be after the start.",
      "Enter a start and an end time.",
      "Use 15-minute steps (for example 09:15).",
      "Overlaps 09:00–12:00; intervals must not overlap.",
    ]);
  });

  it("refuses no date, a past date, and a date that already has an override (unless it is the one edited)", () => {
    const draft = { ...emptyDraft(), date: "" };
    expect(validateOverride(draft, ctx).date).toBe("Pick a date.");
    expect(validateOverride({ ...draft, date: "2026-11-30" }, ctx).date).toMatch(/has passed/);
    expect(validateOverride({ ...draft, date: "2026-12-01" }, ctx).date).toBeUndefined();
    const taken = validateOverride({ ...draft, date: "2026-12-24" }, ctx);
    expect(taken.taken).toBe("Thu 24 Dec 2026 already has an override.");
    expect(isValid(taken)).toBe(false);
    const same = validateOverride(
      { ...draft, date: "2026-12-24" },
      { ...ctx, editing: "2026-12-24" },
    );
    expect(isValid(same)).toBe(true);
  });

  it("ignores the hidden intervals of an all-day override", () => {
    const draft = { date: "2026-12-05", allDay: true, intervals: [{ from: "10:00", to: "09:00" }] };
    expect(isValid(validateOverride(draft, ctx))).toBe(true);
    expect(isValid(validateOverride({ ...draft, allDay: false }, ctx))).toBe(false);
  });
});

describe("override editing", () => {
  it("turns a draft into a Calendly date rule and back", () => {
    const special = {
      date: "2026-12-11",
      allDay: false,
      intervals: [
        { from: "14:00", to: "16:00" },
        { from: "09:00", to: "12:00" },
      ],
    };
    expect(toRule(special)).toEqual({
      type: "date",
      date: "2026-12-11",
      intervals: [
        { from: "09:00", to: "12:00" },
        { from: "14:00", to: "16:00" },
      ],
    });
    expect(toRule({ ...special, allDay: true }).intervals).toEqual([]);
    expect(toDraft(toRule(special))).toEqual({ ...special, intervals: toRule(special).intervals });
    expect(toDraft(dec24 as never)).toMatchObject({ date: "2026-12-24", allDay: true });
  });

  it("replaces an edited override in place (so an unchanged edit is not a change), or adds a new one", () => {
    const rules = [dec11, dec24];
    expect(upsertOverride(rules, dec11 as never, "2026-12-11")).toEqual(rules);
    const moved = { type: "date" as const, date: "2026-12-12", intervals: [] };
    expect(upsertOverride(rules, moved, "2026-12-11")).toEqual([moved, dec24]);
    expect(upsertOverride(rules, moved)).toEqual([dec11, dec24, moved]);
    expect(removeOverride(rules, "2026-12-11")).toEqual([dec24]);
  });

  it("suggests a next interval after the last one, within the day", () => {
    expect(nextInterval([])).toEqual({ from: "09:00", to: "17:00" });
    expect(nextInterval([{ from: "09:00", to: "12:00" }])).toEqual({ from: "13:00", to: "14:00" });
    expect(nextInterval([{ from: "20:00", to: "23:00" }])).toEqual({ from: "23:00", to: "23:45" });
    expect(nextInterval([{ from: "20:00", to: "23:45" }])).toEqual({ from: "", to: "" });
  });
});

describe("calendar hour range", () => {
  it("is 06:00–22:00 when everything fits", () => {
    expect(hourRange([])).toEqual(DEFAULT_RANGE);
    expect(hourRange([{ start: 6 * 60, end: 22 * 60 }])).toEqual({ first: 360, last: 1320 });
  });

  it("widens to whole hours around anything earlier or later", () => {
    expect(
      hourRange([
        { start: 5 * 60 + 45, end: 7 * 60 },
        { start: 20 * 60, end: 22 * 60 + 15 },
      ]),
    ).toEqual({ first: 5 * 60, last: 23 * 60 });
  });

  it("stays within the day (a busy time running past midnight is clipped to 24:00)", () => {
    expect(hourRange([{ start: 0, end: 24 * 60 }])).toEqual({ first: 0, last: 1440 });
    expect(hourRange([{ start: -30, end: 1500 }])).toEqual({ first: 0, last: 1440 });
  });
});
