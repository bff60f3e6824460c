/** Webhook subscriptions Kairos created at a provider, one row per callback URL. */
import { eq } from "drizzle-orm";
import type { Database } from "./client";
import { webhookSubscriptions } from "./schema";

/** Unscoped on purpose: an incoming webhook names its subscription, which names the coach. */
export function findSubscription(db: Database, id: string) {
  return db.query.webhookSubscriptions.findFirst({ where: eq(webhookSubscriptions.id, id) });
}
