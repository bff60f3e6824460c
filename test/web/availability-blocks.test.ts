import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Block,
  blocksToRules,
  busyOnWeekdays,
  conflicts,
  instantOf,
  labelIn,
  merge,
  rulesToBlocks,
  SNAP,
  WEEKDAYS,
  wallClockOf,
} from "../../web/src/availability/blocks";

const zones = (Intl as typeof Intl & { supportedValuesOf(k: string): string[] }).supportedValuesOf(
  "timeZone",
);

/** Non-overlapping blocks on 15-minute boundaries, as the calendar produces them. */
const blocks = fc
  .array(
    fc.record({
      day: fc.constantFrom(...WEEKDAYS),
      start: fc.integer({ min: 0, max: 95 }),
      length: fc.integer({ min: 1, max: 16 }),
    }),
    { maxLength: 20 },
  )
  .map((raw) =>
    merge(
      raw.map((r) => ({
        day: r.day,
        start: r.start * SNAP,
        end: Math.min(24 * 60, (r.start + r.length) * SNAP),
      })),
    ),
  );

describe("availability blocks", () => {
  it("save (blocks → Calendly rules) and render (rules → blocks) round-trip exactly", () => {
    fc.assert(
      fc.property(blocks, (bs: Block[]) => {
        expect(rulesToBlocks(blocksToRules(bs))).toEqual(bs);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps date overrides when saving weekly blocks", () => {
    const override = { type: "date" as const, date: "2026-12-24", intervals: [] };
    const rules = blocksToRules([{ day: "monday", start: 540, end: 600 }], [override]);
    expect(rules).toContainEqual(override);
    expect(rules.filter((r) => r.type === "wday")).toHaveLength(7);
  });

  it("maps every existing wall-clock time to an instant and back exactly, in any zone (DST too)", () => {
    const start = Date.parse("2025-01-01T00:00:00Z");
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        // 15-minute instants over six years, so every DST transition of every zone is in range.
        fc.integer({ min: 0, max: 6 * 366 * 96 }),
        (zone, quarter) => {
          const instant = start + quarter * SNAP * 60_000;
          const wall = wallClockOf(instant, zone);
          const again = instantOf(wall.date, wall.minute, zone);
          // Rendering the saved wall time shows exactly what the coach placed…
          expect(wallClockOf(again, zone)).toEqual(wall);
          // …and it is the same instant, except in a fall-back hour, where the wall time occurs
          // twice and the two instants differ by the size of the shift.
          expect(again === instant || Math.abs(again - instant) <= 3_600_000).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("handles the spring-forward and fall-back days of New York exactly", () => {
    const ny = "America/New_York";
    const spring = { y: 2026, m: 3, d: 8 }; // 02:00 → 03:00
    const fall = { y: 2026, m: 11, d: 1 }; // 02:00 → 01:00
    // 09:00–10:00 is one real hour on both days.
    for (const date of [spring, fall]) {
      expect(instantOf(date, 600, ny) - instantOf(date, 540, ny)).toBe(3_600_000);
    }
    // Midnight to 06:00 is five real hours in spring and seven in autumn.
    expect(instantOf(spring, 360, ny) - instantOf(spring, 0, ny)).toBe(5 * 3_600_000);
    expect(instantOf(fall, 360, ny) - instantOf(fall, 0, ny)).toBe(7 * 3_600_000);
  });
});

describe("busy times and conflicts", () => {
  it("places busy times on their weekday in the schedule's zone and finds the blocks they clash with", () => {
    const busy = busyOnWeekdays(
      [
        // Wednesday 10:30–11:30 in New York (15:30Z in winter).
        { type: "external", start: "2026-12-02T15:30:00Z", end: "2026-12-02T16:30:00Z" },
        { type: "calendly", start: "2026-12-03T14:00:00Z", end: "2026-12-03T15:00:00Z" },
      ],
      "America/New_York",
    );
    expect(busy).toEqual([
      { type: "external", day: "wednesday", start: 630, end: 690 },
      { type: "calendly", day: "thursday", start: 540, end: 600 },
    ]);
    const blocks: Block[] = [
      { day: "wednesday", start: 540, end: 720 },
      { day: "thursday", start: 540, end: 720 },
    ];
    // Only the external busy time is a conflict: the Calendly one is a booking in those hours.
    expect(conflicts(blocks, busy)).toEqual([{ block: blocks[0], busy: busy[0] }]);
  });
});

describe("viewing hours in another zone", () => {
  it("converts through the real date, so the gap between DST changes is right", () => {
    const block: Block = { day: "monday", start: 540, end: 720 };
    // A normal winter Monday: New York 09:00 is Berlin 15:00.
    const winter = Date.parse("2026-01-07T12:00:00Z");
    expect(labelIn(block, "America/New_York", "Europe/Berlin", winter)).toBe("15:00–18:00");
    // Between the US (8 March) and EU (29 March) changes the gap is five hours, not six.
    const gap = Date.parse("2026-03-11T12:00:00Z");
    expect(labelIn(block, "America/New_York", "Europe/Berlin", gap)).toBe("14:00–17:00");
    // Far east the block runs past midnight…
    expect(labelIn(block, "America/New_York", "Asia/Tokyo", winter)).toBe(
      "23:00–02:00 (ends next day)",
    );
    // …and an afternoon block starts on the next calendar day there.
    const afternoon: Block = { day: "monday", start: 13 * 60, end: 17 * 60 };
    expect(labelIn(afternoon, "America/New_York", "Asia/Tokyo", winter)).toBe(
      "03:00–07:00 (other day)",
    );
  });
});
