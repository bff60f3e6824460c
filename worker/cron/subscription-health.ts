/**
 * 5-minute fan-out: one `calendly.ensure_subscription` job per connected coach, so a subscription
 * Calendly disabled or deleted is recreated within minutes. The cron only enqueues (sendBatch in
 * chunks of 100, the queue's batch limit); the work runs in the jobs consumer.
 */
import { eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { providerConnections } from "../db/schema";
import type { Job } from "../queues/jobs";

export async function fanOutSubscriptionChecks(env: Env): Promise<number> {
  const rows = await createDb(env.DB)
    .select({ coachId: providerConnections.coachId })
    .from(providerConnections)
    .where(eq(providerConnections.provider, "calendly"))
    .all();
  const jobs = rows.map((r): { body: Job } => ({
    body: { type: "calendly.ensure_subscription", coachId: r.coachId },
  }));
  for (let i = 0; i < jobs.length; i += 100) await env.JOBS.sendBatch(jobs.slice(i, i + 100));
  return jobs.length;
}
