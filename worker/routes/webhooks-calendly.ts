/**
 * POST /webhooks/calendly/:subscriptionId — queue first: verify the signature on the raw body,
 * `await` one send of the verified delivery to `webhook-events`, answer 200. Nothing is stored here,
 * so nothing can be half-accepted: a send that fails answers 503 (with Retry-After) and Calendly
 * retries; the consumer stores the delivery once (dedupe key) and applies it. Bad signatures are 401
 * for every id; a genuine delivery for a subscription Kairos no longer has is 410.
 * The warm path reads nothing from D1 (see ../calendly/webhook-keys.ts).
 */
import { Hono } from "hono";
import { WebhookEnvelope } from "../calendly/webhook-envelope";
import { subscriptionVerifier } from "../calendly/webhook-keys";
import { verifyCalendlySignature } from "../calendly/webhook-signature";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { enqueueDelivery } from "../queues/webhook-message";
import { readWebhookBody } from "./webhook-body";

export const calendlyWebhookRoutes = new Hono<AppEnv>().post("/:subscriptionId", async (c) => {
  const receivedAt = Date.now();
  const { bytes, text } = await readWebhookBody(c.req.raw);
  const subscriptionId = c.req.param("subscriptionId");
  // Known and unknown ids get the same answer to an unsigned or forged post (no enumeration): an
  // unknown id is checked against the app-wide key, and only a genuine delivery learns it is gone.
  const verifier = await subscriptionVerifier(c.env, c.var.db, subscriptionId);

  const check = await verifyCalendlySignature({
    header: c.req.header("calendly-webhook-signature"),
    rawBody: text,
    keys: verifier.keys.map((k) => k.key),
  });
  if (!check.ok) {
    log.warn("webhook.rejected", {
      provider: "calendly",
      reason: check.reason,
      requestId: c.var.requestId,
    });
    throw new AppError("unauthenticated", "Invalid webhook signature.");
  }
  // keyIndex always names one of the keys; "app_key" (the kind checked hardest later) for the types.
  const verifiedWith = verifier.keys[check.keyIndex]?.kind ?? "app_key";

  if (!verifier.coachId) {
    // Calendly deletes a subscription that answers 410 instead of retrying it for a day.
    log.warn("webhook.unknown_subscription", {
      provider: "calendly",
      subscription: subscriptionId,
    });
    throw new AppError("gone", "This webhook subscription no longer exists.");
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Body is not JSON.");
  }
  if (!WebhookEnvelope.safeParse(json).success) {
    throw new AppError("bad_request", "Not a Calendly webhook envelope.");
  }

  await enqueueDelivery(c.env, {
    provider: "calendly",
    subscriptionId,
    coachId: verifier.coachId,
    verifiedWith,
    body: bytes,
    receivedAt,
  });
  return c.json({ ok: true }, 200);
});
