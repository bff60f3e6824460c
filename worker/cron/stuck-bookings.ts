/**
 * 5-minute fan-out: one `booking.resolve` job per booking intent still pending after 2 minutes (see
 * worker/public-booking/resolve-stuck.ts for how each is settled).
 */
import { and, eq, lt } from "drizzle-orm";
import { createDb } from "../db/client";
import { bookingIntents } from "../db/schema";
import { enqueueJobs } from "../queues/job";

const STUCK_AFTER_MS = 2 * 60_000;

export async function fanOutStuckBookings(env: Env, now: Date): Promise<number> {
  const stuck = await createDb(env.DB)
    .select({ id: bookingIntents.id, coachId: bookingIntents.coachId })
    .from(bookingIntents)
    .where(
      and(
        eq(bookingIntents.status, "pending"),
        lt(bookingIntents.updatedAt, new Date(now.getTime() - STUCK_AFTER_MS)),
      ),
    )
    .limit(500);
  return enqueueJobs(
    env,
    stuck.map((s) => ({ type: "booking.resolve", coachId: s.coachId, bookingId: s.id })),
  );
}
