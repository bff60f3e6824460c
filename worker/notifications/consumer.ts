/**
 * The `notifications` queue consumer: one claimed outbox row a message. A retryable failure (the
 * provider down or busy) retries with backoff; after MAX_ATTEMPTS, or at once for a permanent one,
 * the row is marked failed (the coach sees it in the history) and the message goes to dead-letters.
 */
import { z } from "zod";
import { createDb } from "../db/client";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { deliverClaim, failClaim } from "./deliver";
import { bumpAttempts } from "./outbox";
import { isRetryable } from "./transport";

export const NotificationMessage = z.object({
  outboxId: z.string(),
  coachId: z.string(),
  claimedAt: z.number(),
});

/** The same as the queue's max_retries + 1 in wrangler.toml. */
export const MAX_ATTEMPTS = 6;

export async function consumeNotifications(
  batch: MessageBatch<unknown>,
  env: Env,
  backoffSeconds: (attempts: number) => number,
): Promise<void> {
  const db = createDb(env.DB);
  for (const msg of batch.messages) {
    const parsed = NotificationMessage.safeParse(msg.body);
    if (!parsed.success) {
      await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
      msg.ack();
      continue;
    }
    const claim = parsed.data;
    const scope = { db, coachId: claim.coachId };
    try {
      const outcome = await deliverClaim(env, scope, claim);
      log.info("notifications.delivered", { id: claim.outboxId, outcome });
      msg.ack();
    } catch (err) {
      const retry = isRetryable(err) && msg.attempts < MAX_ATTEMPTS;
      log.warn("notifications.send_failed", {
        id: claim.outboxId,
        attempts: msg.attempts,
        retry,
        // Only the code and status: a provider's refusal text can quote the recipient's address.
        ...errorCode(err),
      });
      try {
        await bumpAttempts(scope, claim.outboxId, err instanceof Error ? err.message : "error");
        if (retry) {
          msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
          continue;
        }
        await failClaim(scope, claim, err);
        await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
        msg.ack();
      } catch (inner) {
        log.error("notifications.settle_failed", { id: claim.outboxId, ...errorCode(inner) });
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }
  }
}

/** What may be logged of a send failure: never its message text. */
export const errorCode = (err: unknown) =>
  err instanceof AppError
    ? { errorCode: err.code, errorStatus: err.status }
    : { errorCode: err instanceof Error ? err.name : "unknown" };
