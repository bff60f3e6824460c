import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { noShowChanges } from "../../../worker/bookings/no-show-changes";
import { API, domainEvents, invitee, newCoach } from "../helpers/invitee-envelopes";

// The invitee's updated_at stays put through every no-show change, as at Calendly.
const UPDATED = "2026-12-01T10:00:00.000000Z";
// No-show URIs are unique at Calendly (and domain events are keyed by them): one pair per test.
let run = 0;
let NS1 = "";
let NS2 = "";
beforeEach(() => {
  run++;
  NS1 = `${API}/invitee_no_shows/ns-${run}-1`;
  NS2 = `${API}/invitee_no_shows/ns-${run}-2`;
});

function cycle(ev: string) {
  const base = { ev, inv: "inv", updatedAt: UPDATED };
  const created = invitee({ event: "invitee.created", ...base });
  const mark = (at: string, uri: string) =>
    invitee({ event: "invitee_no_show.created", ...base, happenedAt: at, noShow: uri });
  const clear = (at: string) =>
    invitee({ event: "invitee_no_show.deleted", ...base, happenedAt: at });
  return {
    created,
    steps: [
      mark("2026-12-10T16:00:00.000000Z", NS1),
      clear("2026-12-10T16:01:00.000000Z"),
      mark("2026-12-10T16:02:00.000000Z", NS2),
      clear("2026-12-10T16:03:00.000000Z"),
    ],
  };
}

const noShowOf = async (coachId: string) =>
  (
    await env.DB.prepare("select no_show_uri as uri from invitees where coach_id = ?")
      .bind(coachId)
      .first<{ uri: string | null }>()
  )?.uri;

const noShowEvents = async (coachId: string) =>
  (await domainEvents(coachId))
    .filter((e) => e.type.startsWith("invitee.no_show"))
    .map((e) => `${e.type}:${e.payload.noShowUri}`)
    .sort();

const everyChange = () => [
  `invitee.no_show_cleared:${NS1}`,
  `invitee.no_show_cleared:${NS2}`,
  `invitee.no_show_marked:${NS1}`,
  `invitee.no_show_marked:${NS2}`,
];

describe("no-shows", () => {
  const orders: [string, (s: ReturnType<typeof cycle>["steps"]) => typeof s][] = [
    ["in order", (s) => s],
    ["reversed", (s) => [...s].reverse()],
    ["clears first", ([m1, c1, m2, c2]) => [c2, c1, m1, m2].filter((d) => d !== undefined)],
    [
      "each twice, interleaved",
      ([m1, c1, m2, c2]) => [m2, m1, c2, m2, c1, c2, m1, c1].filter((d) => d !== undefined),
    ],
  ];

  it.each(orders)("mark, clear, mark, clear converges to no no-show (%s)", async (_, order) => {
    const scope = await newCoach("noshow");
    const c = cycle(`ns-${scope.coachId}`);
    await applyCalendlyEvent(scope, c.created);
    for (const d of order(c.steps)) await applyCalendlyEvent(scope, d);
    expect(await noShowOf(scope.coachId)).toBeNull();
    expect(await noShowEvents(scope.coachId)).toEqual(everyChange());
  });

  it("a late booking delivery does not undo a no-show (updated_at does not order no-shows)", async () => {
    const scope = await newCoach("noshow-late");
    const c = cycle(`nl-${scope.coachId}`);
    const [mark] = c.steps;
    if (!mark) throw new Error("fixture");
    await applyCalendlyEvent(scope, mark);
    await applyCalendlyEvent(scope, c.created); // sent before the mark, delivered after it
    expect(await noShowOf(scope.coachId)).toBe(NS1);
    expect(await noShowEvents(scope.coachId)).toEqual([`invitee.no_show_marked:${NS1}`]);
  });

  it("infers what a lost delivery would have said, and only that", () => {
    const t = (m: number) => new Date(Date.UTC(2026, 11, 10, 16, m));
    // A later mark replacing an earlier one: the earlier one was cleared in between.
    expect(noShowChanges({ uri: NS1, at: t(0) }, { uri: NS2, at: t(2) })).toEqual([
      { type: "invitee.no_show_cleared", uri: NS1 },
      { type: "invitee.no_show_marked", uri: NS2 },
    ]);
    // A late mark, after a later clear: it happened and it was cleared.
    expect(noShowChanges({ uri: null, at: t(3) }, { uri: NS2, at: t(2) })).toEqual([
      { type: "invitee.no_show_marked", uri: NS2 },
      { type: "invitee.no_show_cleared", uri: NS2 },
    ]);
    // A late sighting of the state already held, or a late clear: nothing new.
    expect(noShowChanges({ uri: NS2, at: t(3) }, { uri: NS2, at: t(2) })).toEqual([
      { type: "invitee.no_show_marked", uri: NS2 },
    ]);
    expect(noShowChanges({ uri: NS2, at: t(3) }, { uri: null, at: t(1) })).toEqual([]);
    // A clear whose mark was never seen: nothing to name.
    expect(noShowChanges({ uri: null, at: null }, { uri: null, at: t(1) })).toEqual([]);
  });
});
