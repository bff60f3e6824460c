/**
 * 5-minute fan-out: one `calendly.refresh_token` job per connection whose access token expires
 * within 30 minutes, so coaches never wait on a refresh and idle grants stay alive. The jobs
 * consumer refreshes through the coach's CoachGuard (single flight, rotation saved first). Keyset
 * pages of 100 by coach id, one statement and one `sendBatch` each (./fan-out.ts).
 */
import { lt } from "drizzle-orm";
import { createDb } from "../db/client";
import { providerConnections } from "../db/schema";
import { connectedCalendlyCoachPage } from "./connected-coaches";
import { fanOut, nextKey } from "./fan-out";

export const BACKGROUND_REFRESH_WINDOW_MS = 30 * 60_000;

export async function fanOutTokenRefreshes(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const expiresBefore = new Date(now.getTime() + BACKGROUND_REFRESH_WINDOW_MS);
  const expiring = lt(providerConnections.accessExpiresAt, expiresBefore);
  return fanOut(env, { task: "token_refresh", maxPages: 150 }, async (after) => {
    const coachIds = await connectedCalendlyCoachPage(db, after, expiring);
    return {
      jobs: coachIds.map((coachId) => ({ type: "calendly.refresh_token" as const, coachId })),
      next: nextKey(coachIds, (id) => id),
    };
  });
}
