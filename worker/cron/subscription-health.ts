/**
 * Hourly fan-out: one `calendly.ensure_subscription` job per connected coach, so a subscription
 * Calendly disabled or deleted is recreated within the hour (reconcile repairs the gap). The cron only enqueues, in keyset pages
 * of 100 by coach id (one statement and one `sendBatch` each, ./fan-out.ts); the work runs in the
 * jobs consumer.
 */
import { createDb } from "../db/client";
import { connectedCalendlyCoachPage } from "./connected-coaches";
import { fanOut, nextKey } from "./fan-out";

export async function fanOutSubscriptionChecks(env: Env): Promise<number> {
  const db = createDb(env.DB);
  return fanOut(env, { task: "subscription_health", maxPages: 150 }, async (after) => {
    const coachIds = await connectedCalendlyCoachPage(db, after);
    return {
      jobs: coachIds.map((coachId) => ({ type: "calendly.ensure_subscription" as const, coachId })),
      next: nextKey(coachIds, (id) => id),
    };
  });
}
