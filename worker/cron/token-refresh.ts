/**
 * 5-minute fan-out: one `calendly.refresh_token` job per connection whose access token expires
 * within 30 minutes, so coaches never wait on a refresh and idle grants stay alive. The jobs
 * consumer refreshes through the coach's CoachGuard (single flight, rotation saved first). Keyset
 * pages of 100 by coach id, one statement and one `sendBatch` each (./fan-out.ts).
 */
import { and, asc, eq, gt, lt } from "drizzle-orm";
import { createDb } from "../db/client";
import { providerConnections } from "../db/schema";
import { FAN_OUT_PAGE, fanOut, nextKey } from "./fan-out";

export const BACKGROUND_REFRESH_WINDOW_MS = 30 * 60_000;

export async function fanOutTokenRefreshes(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const expiresBefore = new Date(now.getTime() + BACKGROUND_REFRESH_WINDOW_MS);
  return fanOut(env, { task: "token_refresh", maxPages: 150 }, async (after) => {
    const due = await db
      .select({ coachId: providerConnections.coachId })
      .from(providerConnections)
      .where(
        and(
          eq(providerConnections.provider, "calendly"),
          eq(providerConnections.status, "connected"),
          lt(providerConnections.accessExpiresAt, expiresBefore),
          after === null ? undefined : gt(providerConnections.coachId, after),
        ),
      )
      .orderBy(asc(providerConnections.coachId))
      .limit(FAN_OUT_PAGE);
    return {
      jobs: due.map((r) => ({ type: "calendly.refresh_token" as const, coachId: r.coachId })),
      next: nextKey(due, (r) => r.coachId),
    };
  });
}
