/** The durable inbox of provider webhook events; the dedupe key makes redelivery a no-op. */
import { newId } from "../lib/ids";
import type { Database } from "./client";
import { type Provider, webhookEvents } from "./schema";

/** Returns the new row id, or null when this delivery was already stored. */
export async function insertWebhookEvent(
  db: Database,
  row: {
    provider: Provider;
    dedupeKey: string;
    event: string;
    coachId: string | null;
    payload: string;
  },
): Promise<string | null> {
  const id = newId("whe");
  const inserted = await db
    .insert(webhookEvents)
    .values({ id, ...row, status: "received", receivedAt: new Date() })
    .onConflictDoNothing({ target: webhookEvents.dedupeKey })
    .returning({ id: webhookEvents.id });
  return inserted[0]?.id ?? null;
}
