/**
 * 5-minute fan-out: one `booking.resolve` job per booking intent still pending after 2 minutes (see
 * worker/public-booking/resolve-stuck.ts for how each is settled). Keyset pages of 100 by intent id,
 * one statement and one `sendBatch` each (./fan-out.ts).
 */
import { and, asc, eq, gt, lt } from "drizzle-orm";
import { createDb } from "../db/client";
import { bookingIntents } from "../db/schema";
import { FAN_OUT_PAGE, fanOut, nextKey } from "./fan-out";

const STUCK_AFTER_MS = 2 * 60_000;

export async function fanOutStuckBookings(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const stuckSince = new Date(now.getTime() - STUCK_AFTER_MS);
  return fanOut(env, { task: "stuck_bookings", maxPages: 20 }, async (after) => {
    const stuck = await db
      .select({ id: bookingIntents.id, coachId: bookingIntents.coachId })
      .from(bookingIntents)
      .where(
        and(
          eq(bookingIntents.status, "pending"),
          lt(bookingIntents.updatedAt, stuckSince),
          after === null ? undefined : gt(bookingIntents.id, after),
        ),
      )
      .orderBy(asc(bookingIntents.id))
      .limit(FAN_OUT_PAGE);
    return {
      jobs: stuck.map((s) => ({
        type: "booking.resolve" as const,
        coachId: s.coachId,
        bookingId: s.id,
      })),
      next: nextKey(stuck, (s) => s.id),
    };
  });
}
