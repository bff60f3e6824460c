import { describe, expect, it } from "vitest";
import {
  availableHours,
  utilisation,
  weeklyHours,
  weekStart,
} from "../../worker/availability/insights";
import type { Rule } from "../../worker/schemas/availability";

const weekdays9to5: Rule[] = ["monday", "tuesday", "wednesday", "thursday", "friday"].map(
  (wday) => ({ type: "wday", wday, intervals: [{ from: "09:00", to: "17:00" }] }) as Rule,
);

describe("availability insights", () => {
  it("counts a typical week and applies date overrides to their own week", () => {
    expect(weeklyHours(weekdays9to5)).toBe(40);
    const monday = weekStart(Date.parse("2026-12-23T15:00:00Z"), "America/New_York");
    expect(monday.getDay()).toBe(1);
    expect(monday.getDate()).toBe(21);
    const christmas: Rule = { type: "date", date: "2026-12-25", intervals: [] };
    expect(availableHours([...weekdays9to5, christmas], monday)).toBe(32);
    const next = weekStart(Date.parse("2026-12-23T15:00:00Z"), "America/New_York", 1);
    expect(availableHours([...weekdays9to5, christmas], next)).toBe(40);
  });

  it("starts weeks on Monday in the schedule's zone, across a DST change", () => {
    // Sunday 2026-03-08 is New York's spring-forward day; the week still starts Monday 03-02.
    const monday = weekStart(Date.parse("2026-03-08T12:00:00Z"), "America/New_York");
    expect([monday.getFullYear(), monday.getMonth() + 1, monday.getDate()]).toEqual([2026, 3, 2]);
    expect(monday.getHours()).toBe(0);
    expect(availableHours(weekdays9to5, monday)).toBe(40);
  });

  it("rounds and guards the ratio", () => {
    expect(utilisation(90, 40)).toEqual({ bookedHours: 1.5, availableHours: 40, ratio: 0.038 });
    expect(utilisation(0, 0).ratio).toBeNull();
  });
});
