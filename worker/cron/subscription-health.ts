/**
 * Hourly fan-out: one `calendly.ensure_subscription` job per connected coach, so a subscription
 * Calendly disabled or deleted is recreated within the hour (reconcile repairs the gap). The cron only enqueues, in keyset pages
 * of 100 by coach id (one statement and one `sendBatch` each, ./fan-out.ts); the work runs in the
 * jobs consumer.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import { createDb } from "../db/client";
import { providerConnections } from "../db/schema";
import { FAN_OUT_PAGE, fanOut, nextKey } from "./fan-out";

export async function fanOutSubscriptionChecks(env: Env): Promise<number> {
  const db = createDb(env.DB);
  return fanOut(env, { task: "subscription_health", maxPages: 150 }, async (after) => {
    const rows = await db
      .select({ coachId: providerConnections.coachId })
      .from(providerConnections)
      .where(
        and(
          eq(providerConnections.provider, "calendly"),
          eq(providerConnections.status, "connected"),
          after === null ? undefined : gt(providerConnections.coachId, after),
        ),
      )
      .orderBy(asc(providerConnections.coachId))
      .limit(FAN_OUT_PAGE);
    return {
      jobs: rows.map((r) => ({
        type: "calendly.ensure_subscription" as const,
        coachId: r.coachId,
      })),
      next: nextKey(rows, (r) => r.coachId),
    };
  });
}
