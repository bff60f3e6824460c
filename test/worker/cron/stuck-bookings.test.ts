import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fanOutStuckBookings } from "../../../worker/cron/stuck-bookings";
import worker from "../../../worker/index";
import { openSlots, readyCoach } from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";

/** A pending intent as a worker that died mid-booking would leave it. */
async function strandedIntent(coachId: string, slot: string, email: string) {
  const et = await env.DB.prepare(
    "select id from event_types where coach_id = ? and slug = 'intro-call'",
  )
    .bind(coachId)
    .first<{ id: string }>();
  const id = `bki_stuck_${email.split("@")[0]}`;
  const start = Date.parse(slot);
  await env.DB.prepare(
    `insert into booking_intents (id, coach_id, event_type_id, slot_key, start_time, end_time, email, name, time_zone, answers, tracking, status, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'Stuck Client', 'UTC', '[]', '{}', 'pending', ?)`,
  )
    .bind(
      id,
      coachId,
      et?.id,
      `${coachId}|${start}`,
      start,
      start + 1_800_000,
      email,
      Date.now() - 10 * 60_000,
    )
    .run();
  return id;
}

const statusOf = async (id: string) =>
  await env.DB.prepare("select status, error from booking_intents where id = ?")
    .bind(id)
    .first<{ status: string; error: string | null }>();

async function resolve(coachId: string, bookingId: string) {
  const batch = createMessageBatch("jobs", [
    {
      id: `r-${bookingId}`,
      timestamp: new Date(),
      attempts: 1,
      body: { type: "booking.resolve", coachId, bookingId },
    },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`r-${bookingId}`]);
}

describe("booking intents left pending", () => {
  it("are found by the cron and settled: booked when Calendly has the invitee, else failed", async () => {
    const { id: coachId } = await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call");
    const madeIt = await strandedIntent(coachId, slots[2] ?? "", "made.it@client.test");
    const lost = await strandedIntent(coachId, slots[5] ?? "", "never.sent@client.test");
    // Calendly did book the first one before the worker died.
    const booked = await exports.default.fetch(`${ORIGIN}/sandbox/calendly/control/book`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        coachEmail: "dana@coach.test",
        eventTypeSlug: "intro-call",
        startTime: slots[2],
        invitee: { name: "Stuck Client", email: "made.it@client.test" },
      }),
    });
    expect(booked.status).toBe(201);

    expect(await fanOutStuckBookings(env, new Date())).toBeGreaterThanOrEqual(2);
    await resolve(coachId, madeIt);
    await resolve(coachId, lost);
    expect((await statusOf(madeIt))?.status).toBe("booked");
    expect(await statusOf(lost)).toEqual({ status: "failed", error: "outcome_unknown" });
    expect(await fanOutStuckBookings(env, new Date())).toBe(0);
  });
});
