/**
 * 5-minute fan-out: one `calendly.refresh_token` job per connection whose access token expires
 * within 30 minutes, so coaches never wait on a refresh and idle grants stay alive. The jobs
 * consumer refreshes through the coach's CoachGuard (single flight, rotation saved first).
 */
import { and, eq, lt } from "drizzle-orm";
import { createDb } from "../db/client";
import { providerConnections } from "../db/schema";
import { enqueueJobs } from "../queues/job";

export const BACKGROUND_REFRESH_WINDOW_MS = 30 * 60_000;

export async function fanOutTokenRefreshes(env: Env, now: Date): Promise<number> {
  const due = await createDb(env.DB)
    .select({ coachId: providerConnections.coachId })
    .from(providerConnections)
    .where(
      and(
        eq(providerConnections.provider, "calendly"),
        eq(providerConnections.status, "connected"),
        lt(
          providerConnections.accessExpiresAt,
          new Date(now.getTime() + BACKGROUND_REFRESH_WINDOW_MS),
        ),
      ),
    )
    .all();
  return enqueueJobs(
    env,
    due.map((r) => ({ type: "calendly.refresh_token", coachId: r.coachId })),
  );
}
