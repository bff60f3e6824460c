/**
 * A booking intent left `pending` (the worker stopped between claiming the slot and hearing from
 * Calendly) would hold its slot forever. worker/cron/stuck-bookings.ts finds them; this settles each
 * the way a lost answer is settled: booked if Calendly has the invitee, otherwise failed — with
 * `outcome_unknown`, so a client retrying still looks before booking again.
 */
import { eq } from "drizzle-orm";
import { getIntent, settleIntent } from "../db/booking-intents";
import { createDb } from "../db/client";
import { coaches, eventTypes } from "../db/schema";
import { findBookingAtCalendly } from "./place-booking";

export async function resolveStuckBooking(env: Env, bookingId: string) {
  const db = createDb(env.DB);
  const intent = await getIntent(db, bookingId);
  if (intent?.status !== "pending") return;
  const coach = await db.query.coaches.findFirst({ where: eq(coaches.id, intent.coachId) });
  const eventType = await db.query.eventTypes.findFirst({
    where: eq(eventTypes.id, intent.eventTypeId),
  });
  if (!coach) return;
  const found = await findBookingAtCalendly(env, {
    coachId: coach.id,
    userUri: coach.calendlyUserUri,
    eventTypeUri: eventType?.calendlyUri ?? null,
    email: intent.email,
    start: intent.startTime,
  });
  await settleIntent(
    db,
    intent,
    found ? { status: "booked", ...found } : { status: "failed", error: "outcome_unknown" },
  );
}
