import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type SlotWindow, slotsFromDays } from "../../../worker/availability/cache";

const NY = "America/New_York";
const at = (iso: string) => new Date(iso);

/** A day cache with its own clock and a fake upstream that records every window it is asked. */
function harness(slots: string[], version = "v1") {
  const asked: { from: string; to: string }[] = [];
  const background: Promise<unknown>[] = [];
  let now = Date.parse("2027-03-10T12:00:00Z");
  const deps = {
    kv: env.AVAILABILITY_CACHE,
    waitUntil: (p: Promise<unknown>) => background.push(p),
    now: () => now,
    fetchSlots: async (w: SlotWindow) => {
      asked.push({ from: w.from.toISOString(), to: w.to.toISOString() });
      return slots.filter((s) => s >= w.from.toISOString() && s < w.to.toISOString());
    },
  };
  const scope = {
    coachId: `coa_${crypto.randomUUID()}`,
    timeZone: NY,
    eventTypeId: "evt_1",
    version,
  };
  return {
    asked,
    background,
    read: (w: SlotWindow) => slotsFromDays(deps, scope, w),
    scope,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("the availability day cache", () => {
  it("serves a different window over the same days from cache, without asking upstream", async () => {
    const slots = [
      "2027-03-11T14:00:00.000Z",
      "2027-03-12T15:00:00.000Z",
      "2027-03-16T14:00:00.000Z",
    ];
    const h = harness(slots);
    const first = await h.read({
      from: at("2027-03-11T00:00:00Z"),
      to: at("2027-03-17T00:00:00Z"),
    });
    expect(first.source).toBe("calendly");
    expect(first.slots).toEqual(slots);
    expect(h.asked).toHaveLength(1);

    const second = await h.read({
      from: at("2027-03-12T09:17:00Z"),
      to: at("2027-03-15T22:41:00Z"),
    });
    expect(second.source).toBe("cache");
    expect(second.slots).toEqual(["2027-03-12T15:00:00.000Z"]);
    expect(h.asked).toHaveLength(1);
  });

  it("asks upstream only for the missing days, as whole days in the coach's zone", async () => {
    const h = harness(["2027-03-19T14:00:00.000Z"]);
    await h.read({ from: at("2027-03-11T15:00:00Z"), to: at("2027-03-13T15:00:00Z") });
    expect(h.asked).toEqual([{ from: "2027-03-11T05:00:00.000Z", to: "2027-03-14T05:00:00.000Z" }]);
    const wider = await h.read({
      from: at("2027-03-12T15:00:00Z"),
      to: at("2027-03-20T01:00:00Z"),
    });
    // 03-14 (the DST day, 23 hours) through 03-19 in New York: 03-14 05:00Z to 03-20 04:00Z.
    expect(h.asked[1]).toEqual({
      from: "2027-03-14T05:00:00.000Z",
      to: "2027-03-20T04:00:00.000Z",
    });
    expect(h.asked).toHaveLength(2);
    expect(wider.slots).toEqual(["2027-03-19T14:00:00.000Z"]);
  });

  it("puts each slot in the bucket of its local day across the DST change", async () => {
    const slots = [
      "2027-03-14T04:30:00.000Z", // 23:30 EST on the 13th
      "2027-03-14T05:00:00.000Z", // 00:00 EST on the 14th
      "2027-03-15T03:30:00.000Z", // 23:30 EDT on the 14th
      "2027-03-15T04:00:00.000Z", // 00:00 EDT on the 15th
    ];
    const h = harness(slots);
    await h.read({ from: at("2027-03-13T12:00:00Z"), to: at("2027-03-15T12:00:00Z") });
    const bucket = (date: string) =>
      env.AVAILABILITY_CACHE.get<{ slots: string[] }>(
        `slots:${h.scope.coachId}:v1:evt_1:${NY}:${date}`,
        "json",
      );
    expect((await bucket("2027-03-13"))?.slots).toEqual(["2027-03-14T04:30:00.000Z"]);
    expect((await bucket("2027-03-14"))?.slots).toEqual([
      "2027-03-14T05:00:00.000Z",
      "2027-03-15T03:30:00.000Z",
    ]);
    expect((await bucket("2027-03-15"))?.slots).toEqual(["2027-03-15T04:00:00.000Z"]);
  });

  it("serves stale days as they are and refreshes them in the background; a new version misses", async () => {
    const slots = ["2027-03-11T14:00:00.000Z"];
    const h = harness(slots);
    const w = { from: at("2027-03-11T00:00:00Z"), to: at("2027-03-12T00:00:00Z") };
    const first = await h.read(w);
    h.advance(6 * 60_000);
    slots.push("2027-03-11T16:00:00.000Z");
    const stale = await h.read(w);
    expect(stale).toMatchObject({ source: "cache", fetchedAt: first.fetchedAt });
    expect(stale.slots).toEqual(["2027-03-11T14:00:00.000Z"]);
    expect(h.background).toHaveLength(1);
    await Promise.all(h.background);
    const refreshed = await h.read(w);
    expect(refreshed.slots).toEqual(slots);
    expect(refreshed.fetchedAt).toBeGreaterThan(first.fetchedAt);
    expect(h.asked).toHaveLength(2); // two days (10th and 11th in New York) in one call, twice

    const bumped = harness(slots, "v2");
    expect((await bumped.read(w)).source).toBe("calendly");
  });
});
