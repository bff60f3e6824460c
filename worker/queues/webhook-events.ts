/**
 * The webhook-events consumer: loads the stored delivery, applies it, marks it processed and pushes
 * the change to the coach's open dashboards. Each message settles on its own; a failure retries with
 * backoff and, after the last retry, lands in dead-letters.
 */

import { eq } from "drizzle-orm";
import { z } from "zod";
import { bumpAvailabilityVersion } from "../availability/cache";
import { applyCalendlyEvent } from "../bookings/apply-calendly-event";
import { syncEventTypes } from "../calendly/sync-event-types";
import { WebhookEnvelope } from "../calendly/webhook-envelope";
import { createDb, type Database } from "../db/client";
import { webhookEvents } from "../db/schema";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";

export const WebhookMessage = z.object({
  provider: z.literal("calendly"),
  webhookEventId: z.string(),
});
export type WebhookMessage = z.infer<typeof WebhookMessage>;

export async function processWebhookEvent(env: Env, db: Database, webhookEventId: string) {
  const row = await db.query.webhookEvents.findFirst({
    where: eq(webhookEvents.id, webhookEventId),
  });
  if (!row || row.status === "processed" || !row.coachId) return;
  const envelope = WebhookEnvelope.parse(JSON.parse(row.payload));
  const scope = { db, coachId: row.coachId };
  // An event type changed at Calendly: its payload shape is loosely documented, so re-read the list.
  if (envelope.event.startsWith("event_type.")) await syncEventTypes(env, scope);
  const changes = await applyCalendlyEvent(scope, envelope);
  await db
    .update(webhookEvents)
    .set({ status: "processed", processedAt: new Date() })
    .where(eq(webhookEvents.id, webhookEventId));
  if (changes.length > 0) {
    await bumpAvailabilityVersion(env, row.coachId);
    const feed = env.COACH_FEED.get(env.COACH_FEED.idFromName(row.coachId));
    await feed.publish({ type: "sessions.changed", changes });
  }
}

export async function consumeWebhookEvents(
  batch: MessageBatch<unknown>,
  env: Env,
  backoffSeconds: (attempts: number) => number,
) {
  const db = createDb(env.DB);
  for (const msg of batch.messages) {
    const parsed = WebhookMessage.safeParse(msg.body);
    if (!parsed.success) {
      log.warn("queue.bad_message", { queue: batch.queue, id: msg.id });
      await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
      msg.ack();
      continue;
    }
    try {
      await processWebhookEvent(env, db, parsed.data.webhookEventId);
      msg.ack();
    } catch (err) {
      const permanent = err instanceof AppError && err.status < 500;
      log.warn("webhook.process_failed", { id: msg.id, attempts: msg.attempts, permanent, err });
      if (permanent) {
        await db
          .update(webhookEvents)
          .set({ status: "failed" })
          .where(eq(webhookEvents.id, parsed.data.webhookEventId));
        msg.ack();
      } else {
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }
  }
}
