/**
 * Queue entry: one consumer per queue. Producers and consumers share zod message shapes; each message
 * settles on its own (ack, or retry with capped jittered backoff).
 */
import { z } from "zod";
import { audit } from "../db/audit";
import { createDb } from "../db/client";
import { failSyncRun } from "../db/sync-runs";
import { log } from "../lib/log";
import { consumeNotifications } from "../notifications/consumer";
import { consumeEmailEvents } from "../notifications/preferences/provider-events";
import { abandonBatchItem } from "../sessions/batches";
import { Job } from "./job";
import { consumeJobs } from "./jobs";
import { consumeWebhookEvents } from "./webhook-events";
import { CalendlyDelivery, ZoomDelivery } from "./webhook-message";

export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case "dead-letters":
      return recordDeadLetters(batch, env);
    case "webhook-events":
      return consumeWebhookEvents(batch, env, backoffSeconds);
    case "jobs":
      return consumeJobs(batch, env, backoffSeconds);
    case "notifications":
      return consumeNotifications(batch, env, backoffSeconds);
    case "email-events":
      return consumeEmailEvents(batch, env);
    default:
      // A queue without a consumer here: keep its messages visible to the operator.
      for (const msg of batch.messages) {
        log.warn("queue.unhandled_message", {
          queue: batch.queue,
          id: msg.id,
          attempts: msg.attempts,
        });
        await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
        msg.ack();
      }
  }
}

/** Every message that exhausted its retries ends here and is kept in the audit log. */
async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env) {
  const db = createDb(env.DB);
  for (const msg of batch.messages) {
    try {
      const delivery = UnstoredDelivery.safeParse(msg.body);
      await audit(db, {
        coachId: null,
        actor: "system",
        action: "queue.dead_letter",
        subject: msg.id,
        // A raw webhook delivery is a client's personal data: the audit log keeps only its outline.
        detail: delivery.success
          ? { attempts: msg.attempts, delivery: outline(delivery.data) }
          : { attempts: msg.attempts, body: msg.body as Record<string, unknown> },
      });
      // A delivery that could not even be stored (D1 down through every retry) is not given up:
      // it goes back to the inbox an hour later, so nothing Calendly or Zoom sent is lost.
      if (delivery.success) {
        await env.WEBHOOK_EVENTS.send(delivery.data, { contentType: "v8", delaySeconds: 3600 });
      }
      // A batch item that could not run still has to settle, or its batch never finishes.
      const job = Job.safeParse(msg.body);
      if (job.success && job.data.type === "batch.item") await abandonBatchItem(db, job.data);
      // A sync page that could not run ends its run, or the coach's sync would join it for ever.
      if (job.success && job.data.type === "calendly.sync") {
        const scope = { db, coachId: job.data.coachId };
        await failSyncRun(
          scope,
          job.data.runId,
          "Calendly could not be read; the next sync retries.",
        );
      }
      msg.ack();
    } catch (err) {
      log.error("queue.dead_letter_record_failed", { id: msg.id, err });
      msg.retry({ delaySeconds: 30 });
    }
  }
}

const UnstoredDelivery = z.union([CalendlyDelivery, ZoomDelivery]);

const outline = (d: z.infer<typeof UnstoredDelivery>) => ({
  provider: d.provider,
  subscriptionId: "subscriptionId" in d ? d.subscriptionId : null,
  receivedAt: new Date(d.receivedAt).toISOString(),
  bytes: d.body.byteLength,
});

export const backoffSeconds = (attempts: number) =>
  Math.min(3600, Math.round(2 ** Math.min(attempts, 12) * (0.5 + Math.random() / 2)));
