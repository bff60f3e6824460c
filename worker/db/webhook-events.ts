/**
 * The durable inbox of provider webhook deliveries, written by the webhook-events consumer. The
 * dedupe key makes a redelivery land on the row already stored; a row stays `received` until its
 * delivery was applied, and the sweep re-sends rows left `received` (a crash between the steps).
 */
import { and, asc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Database } from "./client";
import { type Provider, webhookEvents } from "./schema";

export type StoredWebhookEventRow = typeof webhookEvents.$inferSelect;

/**
 * Stores a delivery once (`INSERT … ON CONFLICT DO NOTHING` on the dedupe key). Returns the row
 * for that key — the new one, or the one an earlier delivery stored — so the caller can tell a
 * duplicate that still has to be applied (`received`) from one that is done.
 */
export async function storeWebhookEvent(
  db: Database,
  row: {
    provider: Provider;
    dedupeKey: string;
    event: string;
    coachId: string | null;
    payload: string;
    receivedAt: Date;
  },
): Promise<{ row: StoredWebhookEventRow; duplicate: boolean }> {
  const [inserted] = await db
    .insert(webhookEvents)
    .values({ id: newId("whe"), ...row, status: "received" })
    .onConflictDoNothing({ target: webhookEvents.dedupeKey })
    .returning();
  if (inserted) return { row: inserted, duplicate: false };
  const existing = await db.query.webhookEvents.findFirst({
    where: eq(webhookEvents.dedupeKey, row.dedupeKey),
  });
  if (!existing) throw new Error("webhook event vanished between insert and read");
  return { row: existing, duplicate: true };
}

export function findWebhookEvent(db: Database, id: string) {
  return db.query.webhookEvents.findFirst({ where: eq(webhookEvents.id, id) });
}

export async function markWebhookEvent(
  db: Database,
  id: string,
  status: "processed" | "failed",
  now = new Date(),
) {
  await db
    .update(webhookEvents)
    .set({ status, processedAt: status === "processed" ? now : null })
    .where(eq(webhookEvents.id, id));
}

/**
 * The sweep's claim: up to `limit` (≤ 100) rows still `received` since before `olderThan` and not
 * claimed since then, stamped `swept_at = now` in the same statement, so two sweeps never send one
 * row twice and a row is re-sent at most once per interval however long its processing keeps failing.
 */
export function claimStrandedWebhookEvents(
  db: Database,
  { olderThan, now, limit = 100 }: { olderThan: Date; now: Date; limit?: number },
) {
  const due = db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.status, "received"),
        lt(webhookEvents.receivedAt, olderThan),
        or(isNull(webhookEvents.sweptAt), lt(webhookEvents.sweptAt, olderThan)),
      ),
    )
    .orderBy(asc(webhookEvents.receivedAt))
    .limit(Math.min(limit, 100));
  return db
    .update(webhookEvents)
    .set({ sweptAt: now })
    .where(inArray(webhookEvents.id, due))
    .returning({ id: webhookEvents.id, provider: webhookEvents.provider });
}
