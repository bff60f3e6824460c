import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import type { WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";
import { createDb } from "../../../worker/db/client";
import {
  bookingBody,
  openSlots,
  postBooking,
  readyCoach,
  sandboxInvitees,
} from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";

type Booked = { booking: { id: string; startTime: string } };

const control = (path: string, body: unknown) =>
  exports.default.fetch(`${ORIGIN}/sandbox/calendly/control${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

// Addresses no other test file books from (the per-IP limit is 10 a minute).
let ip = 0;
async function book(startTime: string | undefined, email: string) {
  const res = await postBooking(await bookingBody({ startTime, email }), `203.0.113.${++ip}`);
  expect(res.status).toBe(201);
  const { booking } = (await res.json()) as Booked;
  const intent = await env.DB.prepare(
    "select id, status, invitee_uri as inviteeUri, event_uri as eventUri from booking_intents where id = ?",
  )
    .bind(booking.id)
    .first<{ id: string; status: string; inviteeUri: string; eventUri: string }>();
  if (!intent) throw new Error("no intent");
  return { ...intent, startTime: booking.startTime };
}

/** The invitee.canceled webhook Calendly sends for that booking (old half, for a reschedule). */
async function canceledWebhook(
  coachId: string,
  b: { inviteeUri: string; eventUri: string; startTime: string },
  email: string,
  reschedule?: { newInvitee: string },
): Promise<WebhookEnvelope> {
  const now = new Date().toISOString();
  return {
    event: "invitee.canceled",
    created_at: now,
    created_by: coachId,
    payload: {
      uri: b.inviteeUri,
      email,
      name: "Sam Rivera",
      status: "canceled",
      updated_at: now,
      rescheduled: Boolean(reschedule),
      old_invitee: null,
      new_invitee: reschedule?.newInvitee ?? null,
      no_show: null,
      cancellation: { canceled_by: "Sam Rivera", reason: null, canceler_type: "invitee" },
      scheduled_event: {
        uri: b.eventUri,
        name: "Intro call",
        status: "canceled",
        start_time: b.startTime,
        end_time: new Date(Date.parse(b.startTime) + 30 * 60_000).toISOString(),
      },
    },
  };
}

describe("booking intents follow Calendly", () => {
  it("a client who canceled in Calendly and books the same time again gets a new booking", async () => {
    const { id: coachId } = await readyCoach();
    const scope = { db: createDb(env.DB), coachId };
    // Kairos hears of the change only through the webhook this test applies.
    expect((await control("/settings", { webhookMode: "lost" })).status).toBe(200);
    const email = "again@client.test";
    const slot = (await openSlots("dana-reyes", "intro-call"))[7];
    const first = await book(slot, email);

    expect(
      (await control("/cancel", { inviteeUri: first.inviteeUri, canceledBy: "invitee" })).status,
    ).toBe(200);
    await applyCalendlyEvent(scope, await canceledWebhook(coachId, first, email));
    const settled = await env.DB.prepare("select status from booking_intents where id = ?")
      .bind(first.id)
      .first<{ status: string }>();
    expect(settled?.status).toBe("canceled");

    const second = await book(slot, email);
    expect(second.id).not.toBe(first.id);
    expect(second.inviteeUri).not.toBe(first.inviteeUri);
    expect(await sandboxInvitees(email)).toBe(1);
  });

  it("a booking moved in Calendly frees its old time for anyone", async () => {
    const { id: coachId } = await readyCoach();
    const scope = { db: createDb(env.DB), coachId };
    expect((await control("/settings", { webhookMode: "lost" })).status).toBe(200);
    const slots = await openSlots("dana-reyes", "intro-call");
    const [oldSlot, newSlot] = [slots[9], slots[15]];
    const moved = await book(oldSlot, "mover@client.test");

    const res = await control("/reschedule", {
      inviteeUri: moved.inviteeUri,
      newStartTime: newSlot,
    });
    expect(res.status).toBe(201);
    const { invitee: newInvitee } = (await res.json()) as { invitee: string };
    await applyCalendlyEvent(
      scope,
      await canceledWebhook(coachId, moved, "mover@client.test", { newInvitee }),
    );

    const other = await book(oldSlot, "next@client.test");
    expect(other.status).toBe("booked");
    const audit = await env.DB.prepare(
      "select actor, action from audit_log where subject = ? and actor = 'calendly'",
    )
      .bind(moved.id)
      .all();
    expect(audit.results).toEqual([{ actor: "calendly", action: "booking.rescheduled" }]);
  });
});
