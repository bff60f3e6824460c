/**
 * POST /webhooks/calendly/:subscriptionId — verify the signature on the raw body, store the event
 * once (dedupe key), enqueue it, answer 200. Bad signatures are 401 and store nothing; the work
 * happens in the webhook-events consumer so Calendly's 15 s timeout is never at risk.
 */
import { Hono } from "hono";
import { openSigningKey } from "../auth/token-vault";
import { dedupeKey, WebhookEnvelope } from "../calendly/webhook-envelope";
import { verifyCalendlySignature } from "../calendly/webhook-signature";
import { insertWebhookEvent } from "../db/webhook-events";
import { findSubscription } from "../db/webhook-subscriptions";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import type { WebhookMessage } from "../queues/webhook-events";

export const MAX_WEBHOOK_BYTES = 1_000_000;

export const calendlyWebhookRoutes = new Hono<AppEnv>().post("/:subscriptionId", async (c) => {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > MAX_WEBHOOK_BYTES) throw new AppError("payload_too_large", "Body too large.");
  const rawBody = await c.req.text();
  if (new TextEncoder().encode(rawBody).byteLength > MAX_WEBHOOK_BYTES) {
    throw new AppError("payload_too_large", "Body too large.");
  }

  const subscription = await findSubscription(c.var.db, c.req.param("subscriptionId"));
  if (!subscription || subscription.provider !== "calendly") {
    throw new AppError("not_found", "Unknown webhook subscription.");
  }
  const keys = [c.env.CALENDLY_WEBHOOK_SIGNING_KEY];
  if (subscription.signingKeyEnc) {
    keys.unshift(await openSigningKey(c.env.ENCRYPTION_KEYS, subscription));
  }
  const check = await verifyCalendlySignature({
    header: c.req.header("calendly-webhook-signature"),
    rawBody,
    keys: keys.filter(Boolean),
  });
  if (!check.ok) {
    log.warn("webhook.rejected", {
      provider: "calendly",
      reason: check.reason,
      requestId: c.var.requestId,
    });
    throw new AppError("unauthenticated", "Invalid webhook signature.");
  }

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("bad_request", "Body is not JSON.");
  }
  const envelope = WebhookEnvelope.safeParse(json);
  if (!envelope.success) throw new AppError("bad_request", "Not a Calendly webhook envelope.");

  const id = await insertWebhookEvent(c.var.db, {
    provider: "calendly",
    dedupeKey: dedupeKey(envelope.data),
    event: envelope.data.event,
    coachId: subscription.coachId,
    payload: rawBody,
  });
  if (id)
    await c.env.WEBHOOK_EVENTS.send({
      provider: "calendly",
      webhookEventId: id,
    } satisfies WebhookMessage);
  return c.json({ ok: true, duplicate: id === null }, 200);
});
