import { describe, expect, it } from "vitest";
import { dayStart, daysCovering, localDate } from "../../../worker/availability/day-buckets";

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe("day buckets in a time zone", () => {
  it("starts a day at local midnight and makes DST days 23 and 25 hours long", () => {
    const NY = "America/New_York";
    expect(new Date(dayStart("2027-01-10", NY)).toISOString()).toBe("2027-01-10T05:00:00.000Z");
    expect(new Date(dayStart("2027-07-10", NY)).toISOString()).toBe("2027-07-10T04:00:00.000Z");
    const [spring] = daysCovering(at("2027-03-14T12:00:00Z"), at("2027-03-14T12:00:00Z"), NY);
    expect(spring).toEqual({
      date: "2027-03-14",
      start: at("2027-03-14T05:00:00Z"),
      end: at("2027-03-15T04:00:00Z"),
    });
    const [fall] = daysCovering(at("2027-11-07T12:00:00Z"), at("2027-11-07T12:00:00Z"), NY);
    expect((fall?.end ?? 0) - (fall?.start ?? 0)).toBe(25 * HOUR);
    expect(fall?.start).toBe(at("2027-11-07T04:00:00Z"));
  });

  it("starts a day whose midnight does not exist where the clock jumps (America/Santiago)", () => {
    // Chile starts DST at 00:00 on the first Sunday of September: 00:00 −04 becomes 01:00 −03.
    const start = dayStart("2027-09-05", "America/Santiago");
    expect(new Date(start).toISOString()).toBe("2027-09-05T04:00:00.000Z");
    expect(localDate(start, "America/Santiago")).toBe("2027-09-05");
    expect(localDate(start - 1, "America/Santiago")).toBe("2027-09-04");
  });

  it("tiles a window with consecutive days, in half-hour and far-east zones too", () => {
    for (const zone of [
      "Asia/Kolkata",
      "Pacific/Kiritimati",
      "Pacific/Pago_Pago",
      "Europe/London",
    ]) {
      const from = at("2027-03-20T10:00:00Z");
      const to = at("2027-04-05T10:00:00Z");
      const days = daysCovering(from, to, zone);
      expect(days[0]?.start).toBeLessThanOrEqual(from);
      expect(days.at(-1)?.end).toBeGreaterThan(to);
      for (const [i, day] of days.entries()) {
        expect(localDate(day.start, zone), zone).toBe(day.date);
        expect(localDate(day.end - 1, zone), zone).toBe(day.date);
        if (i > 0) expect(day.start).toBe(days[i - 1]?.end);
      }
    }
    // Kolkata is +05:30 all year: each day starts at 18:30Z the day before.
    expect(dayStart("2027-03-21", "Asia/Kolkata")).toBe(at("2027-03-20T18:30:00Z"));
  });
});
