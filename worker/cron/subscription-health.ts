/**
 * 5-minute fan-out: one `calendly.ensure_subscription` job per connected coach, so a subscription
 * Calendly disabled or deleted is recreated within minutes. The cron only enqueues; the work runs
 * in the jobs consumer.
 */
import { and, eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { providerConnections } from "../db/schema";
import { enqueueJobs } from "../queues/job";

export async function fanOutSubscriptionChecks(env: Env): Promise<number> {
  const rows = await createDb(env.DB)
    .select({ coachId: providerConnections.coachId })
    .from(providerConnections)
    .where(
      and(
        eq(providerConnections.provider, "calendly"),
        eq(providerConnections.status, "connected"),
      ),
    )
    .all();
  return enqueueJobs(
    env,
    rows.map((r) => ({ type: "calendly.ensure_subscription", coachId: r.coachId })),
  );
}
