/**
 * Booking intents: written (with their audit row, in one batch) before Calendly is asked, settled
 * after. The partial unique index on `slot_key` is the lock that stops double bookings, so a booking
 * that ends at Calendly (canceled or moved there, seen by webhook or reconcile) must release it.
 */
import { and, eq, inArray } from "drizzle-orm";
import { newId } from "../lib/ids";
import { audit } from "./audit";
import type { Database } from "./client";
import { bookingIntents } from "./schema";

export type BookingIntent = typeof bookingIntents.$inferSelect;
export type NewIntent = Omit<
  typeof bookingIntents.$inferInsert,
  "id" | "status" | "createdAt" | "updatedAt"
>;

/** The new intent, or null when the slot is already held by a pending or booked intent. */
export async function claimSlot(db: Database, intent: NewIntent): Promise<BookingIntent | null> {
  const row = { ...intent, id: newId("bki"), status: "pending" as const };
  try {
    await db.batch([
      db.insert(bookingIntents).values(row),
      audit(db, {
        coachId: intent.coachId,
        actor: "client",
        action: "booking.requested",
        subject: row.id,
        detail: { eventTypeId: intent.eventTypeId, startTime: intent.startTime.toISOString() },
      }),
    ]);
  } catch (err) {
    if (String((err as Error).cause ?? err).includes("UNIQUE")) return null;
    throw err;
  }
  return (await getIntent(db, row.id)) ?? null;
}

export function getIntent(db: Database, id: string) {
  return db.query.bookingIntents.findFirst({ where: eq(bookingIntents.id, id) });
}

export function liveIntentForSlot(db: Database, slotKey: string) {
  return db.query.bookingIntents.findFirst({
    where: and(
      eq(bookingIntents.slotKey, slotKey),
      inArray(bookingIntents.status, ["pending", "booked"]),
    ),
  });
}

/** An earlier attempt at the same booking whose outcome at Calendly is unknown (lost answer). */
export function unknownAttempt(db: Database, slotKey: string, email: string) {
  return db.query.bookingIntents.findFirst({
    where: and(
      eq(bookingIntents.slotKey, slotKey),
      eq(bookingIntents.email, email),
      eq(bookingIntents.status, "failed"),
      eq(bookingIntents.error, "outcome_unknown"),
    ),
  });
}

export async function settleIntent(
  db: Database,
  { id, coachId }: { id: string; coachId: string },
  outcome:
    | {
        status: "booked";
        inviteeUri: string;
        eventUri: string;
        rescheduleUrl: string | null;
        cancelUrl: string | null;
      }
    | { status: "failed"; error: string }
    | { status: "canceled" },
) {
  await db.batch([
    db
      .update(bookingIntents)
      .set({ ...outcome, updatedAt: new Date() })
      .where(eq(bookingIntents.id, id)),
    audit(db, {
      coachId,
      actor: outcome.status === "canceled" ? "client" : "system",
      action: `booking.${outcome.status}`,
      subject: id,
      ...(outcome.status === "failed" ? { detail: { error: outcome.error } } : {}),
    }),
  ]);
}

export function intentsOfSeries(db: Database, seriesId: string) {
  return db.query.bookingIntents.findMany({ where: eq(bookingIntents.seriesId, seriesId) });
}

/**
 * Calendly says the booking of `inviteeUri` is over here: canceled, or moved to another time. Its
 * intent stops holding the slot, so anyone can book that time again — and the same client booking
 * it again gets a new booking, not this stale one.
 */
export async function releaseIntentOf(
  db: Database,
  coachId: string,
  inviteeUri: string,
  why: { reason: "canceled" } | { reason: "rescheduled"; toInviteeUri: string | null },
) {
  const released = await db
    .update(bookingIntents)
    .set({ status: "canceled", updatedAt: new Date() })
    .where(
      and(
        eq(bookingIntents.coachId, coachId),
        eq(bookingIntents.inviteeUri, inviteeUri),
        eq(bookingIntents.status, "booked"),
      ),
    )
    .returning({ id: bookingIntents.id });
  for (const { id } of released) {
    await audit(db, {
      coachId,
      actor: "calendly",
      action: `booking.${why.reason}`,
      subject: id,
      detail: why,
    });
  }
  return released.length;
}
