/**
 * The durable inbox of provider webhook deliveries, written by the webhook-events consumer. The
 * dedupe key makes a redelivery land on the row already stored; a row stays `received` until its
 * delivery was applied, and the sweep re-sends rows left `received` (a crash between the steps).
 */
import { and, asc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { newId } from "../lib/ids";
import { type Database, inChunks } from "./client";
import { webhookEvents } from "./schema";

export type StoredWebhookEventRow = typeof webhookEvents.$inferSelect;

export type NewWebhookEvent = Omit<typeof webhookEvents.$inferInsert, "id">;

/**
 * Stores deliveries once (`INSERT … ON CONFLICT DO NOTHING` on the dedupe key), all in one D1 round
 * trip. Returns, in order, the row for each one's key — new, or stored by an earlier delivery (or an
 * earlier one in the same call) — so the caller can tell a duplicate that still has to be applied
 * (`received`) from one that is done.
 */
export async function storeWebhookEvents(
  db: Database,
  rows: NewWebhookEvent[],
): Promise<(StoredWebhookEventRow | undefined)[]> {
  const [first, ...rest] = rows.map((row) =>
    db
      .insert(webhookEvents)
      .values({ id: newId("whe"), ...row })
      .onConflictDoNothing({ target: webhookEvents.dedupeKey })
      .returning(),
  );
  if (!first) return [];
  const inserted = await db.batch([first, ...rest]);
  const missing = [...new Set(rows.filter((_, i) => !inserted[i]?.[0]).map((r) => r.dedupeKey))];
  const existing = await inChunks(missing, (keys) =>
    db.select().from(webhookEvents).where(inArray(webhookEvents.dedupeKey, keys)),
  );
  const byKey = new Map(existing.map((r) => [r.dedupeKey, r]));
  return rows.map((r, i) => inserted[i]?.[0] ?? byKey.get(r.dedupeKey));
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
