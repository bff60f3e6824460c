/**
 * 5-minute fan-out of scheduled reconciles: every Calendly-connected coach whose next sync is due
 * gets a run (its next slot is booked first, so a slow tick never double-starts one). A coach whose
 * Calendly plan refuses webhooks has only the reconcile to learn of bookings: at most every 15 min.
 */
import { and, eq, isNull, lte, or } from "drizzle-orm";
import { startSync } from "../bookings/start-sync";
import { NO_WEBHOOKS_INTERVAL_MINUTES } from "../calendly/ensure-subscription";
import { createDb } from "../db/client";
import { coaches, providerConnections } from "../db/schema";

const MAX_PER_TICK = 500;

export async function fanOutDueSyncs(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const due = await db
    .select({
      id: coaches.id,
      interval: coaches.syncIntervalMinutes,
      webhooks: providerConnections.webhookAvailability,
    })
    .from(coaches)
    .innerJoin(providerConnections, eq(providerConnections.coachId, coaches.id))
    .where(
      and(
        eq(providerConnections.provider, "calendly"),
        eq(providerConnections.status, "connected"),
        or(isNull(coaches.nextSyncAt), lte(coaches.nextSyncAt, now)),
      ),
    )
    .limit(MAX_PER_TICK);
  for (const coach of due) {
    const minutes =
      coach.webhooks === "unavailable_on_plan"
        ? Math.min(coach.interval, NO_WEBHOOKS_INTERVAL_MINUTES)
        : coach.interval;
    await db
      .update(coaches)
      .set({ nextSyncAt: new Date(now.getTime() + minutes * 60_000) })
      .where(eq(coaches.id, coach.id));
    await startSync(env, { db, coachId: coach.id }, "scheduled", now);
  }
  return due.length;
}
