import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import type { WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";
import { sessionHistory } from "../../../worker/db/session-history";
import { domainEvents, invitee, move, newCoach } from "../helpers/invitee-envelopes";

const T0 = "2026-12-01T10:00:00.000000Z";
const START = { a: "2026-12-10T15:00:00.000000Z", b: "2026-12-12T15:00:00.000000Z" };

async function chains(coachId: string) {
  const rows = await env.DB.prepare(
    "select i.calendly_uri as uri, i.id, i.chain_id as chainId, i.session_id as sessionId from invitees i where coach_id = ?",
  )
    .bind(coachId)
    .all<{ uri: string; id: string; chainId: string; sessionId: string }>();
  return new Map(rows.results.map((r) => [r.uri, r]));
}

describe("a reschedule is a move", () => {
  const orders: [
    string,
    (m: ReturnType<typeof move>, booked: WebhookEnvelope) => WebhookEnvelope[],
  ][] = [
    ["booked, then canceled half, then created half", (m, b) => [b, m.canceledHalf, m.createdHalf]],
    ["booked, then created half, then canceled half", (m, b) => [b, m.createdHalf, m.canceledHalf]],
    ["created half before anything else", (m, b) => [m.createdHalf, b, m.canceledHalf]],
    [
      "everything twice, reversed",
      (m, b) => [m.createdHalf, m.canceledHalf, b, m.createdHalf, b, m.canceledHalf],
    ],
    ["canceled half lost", (m, b) => [b, m.createdHalf]],
  ];

  it.each(orders)(
    "records exactly one move with both sessions and times (%s)",
    async (_, order) => {
      const scope = await newCoach("move");
      const tag = scope.coachId;
      const booked = invitee({
        event: "invitee.created",
        ev: `a-${tag}`,
        inv: "inv",
        updatedAt: T0,
        start: START.a,
      });
      const m = move({
        fromEv: `a-${tag}`,
        toEv: `b-${tag}`,
        at: "2026-12-02T10:00:00.000000Z",
        fromStart: START.a,
        toStart: START.b,
      });
      for (const d of order(m, booked)) await applyCalendlyEvent(scope, d);

      const events = await domainEvents(scope.coachId);
      // One booking (the original), one move; never a cancel of the old half or a booking of the new.
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(["booking.created", "booking.rescheduled"]),
      );
      expect(events).toHaveLength(2);
      expect(events.find((e) => e.type === "booking.created")?.payload.inviteeUri).toBe(m.from);
      const c = await chains(scope.coachId);
      const from = c.get(m.from);
      const to = c.get(m.to);
      expect(events.find((e) => e.type === "booking.rescheduled")).toMatchObject({
        session_id: to?.sessionId,
        payload: {
          chainId: from?.id,
          fromInviteeUri: m.from,
          toInviteeUri: m.to,
          fromSessionId: from?.sessionId,
          toSessionId: to?.sessionId,
          fromStartTime: "2026-12-10T15:00:00.000Z",
          toStartTime: "2026-12-12T15:00:00.000Z",
        },
      });
      // The new booking carries the first booking's id as its chain id.
      expect(from?.chainId).toBe(from?.id);
      expect(to?.chainId).toBe(from?.id);
      // Both sessions' histories show the one move.
      for (const id of [from?.sessionId ?? "", to?.sessionId ?? ""]) {
        const { entries } = await sessionHistory(scope, id);
        expect(entries.filter((e) => e.what === "booking.rescheduled")).toHaveLength(1);
      }
    },
  );

  it("keeps one chain id across two moves, even when the second move arrives first", async () => {
    const scope = await newCoach("chain");
    const tag = scope.coachId;
    const ab = move({
      fromEv: `a-${tag}`,
      toEv: `b-${tag}`,
      at: "2026-12-02T10:00:00.000000Z",
      fromStart: START.a,
      toStart: START.b,
    });
    const bc = move({
      fromEv: `b-${tag}`,
      toEv: `c-${tag}`,
      at: "2026-12-03T10:00:00.000000Z",
      fromStart: START.b,
      toStart: "2026-12-14T15:00:00.000000Z",
      fromOld: ab.from,
    });
    for (const d of [bc.createdHalf, bc.canceledHalf, ab.createdHalf, ab.canceledHalf]) {
      await applyCalendlyEvent(scope, d);
    }
    const c = await chains(scope.coachId);
    const root = c.get(ab.from)?.id;
    expect([ab.from, ab.to, bc.to].map((u) => c.get(u)?.chainId)).toEqual([root, root, root]);
    const moves = (await domainEvents(scope.coachId)).filter(
      (e) => e.type === "booking.rescheduled",
    );
    expect(moves.map((e) => [e.payload.fromStartTime, e.payload.toStartTime])).toEqual([
      ["2026-12-12T15:00:00.000Z", "2026-12-14T15:00:00.000Z"],
      ["2026-12-10T15:00:00.000Z", "2026-12-12T15:00:00.000Z"],
    ]);
    // The later move was recorded on the chain it had then; the merge says which chain it joined.
    expect(moves[1]?.payload).toMatchObject({
      chainId: root,
      replacedChainId: c.get(ab.to)?.id ?? "",
    });
    expect(moves[1]?.payload.replacedChainId).toBe(moves[0]?.payload.chainId);
    const types = (await domainEvents(scope.coachId)).map((e) => e.type);
    expect(types.filter((t) => t === "booking.created")).toHaveLength(1);
    expect(types).not.toContain("booking.canceled");
  });

  it("still records a plain cancellation of a moved booking", async () => {
    const scope = await newCoach("movecancel");
    const tag = scope.coachId;
    const m = move({
      fromEv: `a-${tag}`,
      toEv: `b-${tag}`,
      at: "2026-12-02T10:00:00.000000Z",
      toStart: START.b,
    });
    await applyCalendlyEvent(scope, m.canceledHalf);
    await applyCalendlyEvent(scope, m.createdHalf);
    const canceled = invitee({
      event: "invitee.canceled",
      ev: `b-${tag}`,
      inv: "inv",
      status: "canceled",
      updatedAt: "2026-12-04T10:00:00.000000Z",
      start: START.b,
      oldInvitee: m.from,
    });
    await applyCalendlyEvent(scope, canceled);
    const events = await domainEvents(scope.coachId);
    expect(events.map((e) => e.type)).toEqual([
      "booking.created",
      "booking.rescheduled",
      "booking.canceled",
    ]);
    expect(events[2]?.payload.inviteeUri).toBe(m.to);
  });
});
