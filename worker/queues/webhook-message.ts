/**
 * The `webhook-events` queue's messages, shared by producers (the webhook routes, the operator's
 * replay, the sweep) and the consumer (./webhook-events.ts). Producers import only this module.
 *
 * A route enqueues the verified delivery itself (queue first: nothing is stored before the send
 * succeeded, so a failed send is a clean 503 that the provider retries). The body travels as the raw
 * bytes: a queue message is at most 128 KB, and bytes, unlike a JS string (two bytes per character
 * once one character is outside Latin-1), serialize at their UTF-8 size (content type `v8`). Once the consumer stored a
 * delivery, everything after refers to the stored row by id, so retries and dead letters carry no
 * payload.
 */
import { z } from "zod";
import { PROVIDERS } from "../db/schema";
import { AppError } from "../lib/errors";

/** The body limit of both routes: the payload plus the fields below must fit in one message. */
export const MAX_WEBHOOK_BYTES = 120 * 1024;

const RawBody = z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_WEBHOOK_BYTES);

export const CalendlyDelivery = z.object({
  provider: z.literal("calendly"),
  subscriptionId: z.string(),
  /** Resolved by the route; the consumer resolves it again and drops a delivery that no longer fits. */
  coachId: z.string(),
  /** The app-wide key is shared by every coach, so it alone does not bind a delivery to one. */
  verifiedWith: z.enum(["subscription_key", "app_key"]),
  body: RawBody,
  receivedAt: z.number(),
});
export type CalendlyDelivery = z.infer<typeof CalendlyDelivery>;

export const ZoomDelivery = z.object({
  provider: z.literal("zoom"),
  body: RawBody,
  receivedAt: z.number(),
});
export type ZoomDelivery = z.infer<typeof ZoomDelivery>;

/** A delivery already stored: the replay, the sweep and the consumer's own retries send these. */
export const StoredWebhookEvent = z.object({
  provider: z.enum(PROVIDERS),
  webhookEventId: z.string(),
});
export type StoredWebhookEvent = z.infer<typeof StoredWebhookEvent>;

export const WebhookMessage = z.union([CalendlyDelivery, ZoomDelivery, StoredWebhookEvent]);
export type WebhookMessage = z.infer<typeof WebhookMessage>;

/** Seconds Calendly and Zoom are asked to wait before retrying a delivery the queue refused. */
const RETRY_AFTER_S = 30;

/** Queue first: the provider gets its 2xx only once the delivery is durable in the queue. */
export async function enqueueDelivery(env: Env, message: CalendlyDelivery | ZoomDelivery) {
  try {
    // v8, not the default json: JSON would turn the bytes into an object of numbered keys.
    await env.WEBHOOK_EVENTS.send(message satisfies WebhookMessage, { contentType: "v8" });
  } catch (err) {
    throw new AppError("unavailable", "Could not accept the delivery now; retry later.", {
      internal: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      retryAfterSeconds: RETRY_AFTER_S,
    });
  }
}

/** Fan-out for stored rows: one `sendBatch` per 100 messages (the queue's batch limit). */
export async function enqueueStoredEvents(env: Env, events: StoredWebhookEvent[]) {
  for (let i = 0; i < events.length; i += 100) {
    await env.WEBHOOK_EVENTS.sendBatch(
      events.slice(i, i + 100).map((body) => ({ body: body satisfies WebhookMessage })),
    );
  }
  return events.length;
}
