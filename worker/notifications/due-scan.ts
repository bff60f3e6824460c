/**
 * The 5-minute scan: claims due outbox rows a page (100) at a time in one UPDATE … RETURNING and
 * enqueues each page with one `NOTIFICATIONS.sendBatch` (ADR 0011). MAX_PAGES bounds a tick at
 * 1,000 rows / 10 statements; more waits for the next tick, still due.
 */
import { createDb } from "../db/client";
import { log } from "../lib/log";
import { CLAIM_PAGE, claimDue, enqueueClaims } from "./outbox";

export const MAX_PAGES = 10;

export async function claimDueNotifications(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  let sent = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const claims = await claimDue(db, now);
    if (claims.length > 0) await enqueueClaims(env, claims);
    sent += claims.length;
    if (claims.length < CLAIM_PAGE) return sent;
  }
  log.warn("cron.fan_out_capped", { task: "due_notifications", pages: MAX_PAGES, sent });
  return sent;
}
