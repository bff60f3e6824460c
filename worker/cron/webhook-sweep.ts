/**
 * 5-minute sweep: re-sends every webhook delivery still `received` 10 minutes after it arrived (a
 * consumer crashed between storing and applying, or its messages were dead-lettered), so no row is
 * stranded. Bulk as every fan-out: one claiming UPDATE … RETURNING per ≤ 100 rows, one `sendBatch`
 * per claim; a row is claimed at most once per 10 minutes (db/webhook-events.ts). Applying is
 * idempotent, so a row whose first message is still on its way only costs a no-op.
 */
import { createDb } from "../db/client";
import { claimStrandedWebhookEvents } from "../db/webhook-events";
import { enqueueStoredEvents } from "../queues/webhook-message";

export const STRANDED_AFTER_MS = 10 * 60_000;
/** 1,000 rows a tick is far past any normal backlog and keeps a tick well inside D1's query cap. */
const MAX_CLAIMS_PER_TICK = 10;

export async function sweepStrandedWebhookEvents(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const olderThan = new Date(now.getTime() - STRANDED_AFTER_MS);
  let sent = 0;
  for (let i = 0; i < MAX_CLAIMS_PER_TICK; i++) {
    const claimed = await claimStrandedWebhookEvents(db, { olderThan, now, limit: 100 });
    if (claimed.length === 0) break;
    sent += await enqueueStoredEvents(
      env,
      claimed.map((r) => ({ provider: r.provider, webhookEventId: r.id })),
    );
    if (claimed.length < 100) break;
  }
  return sent;
}
