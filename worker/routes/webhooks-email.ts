/**
 * POST /webhooks/email/resend — Resend's signed delivery events (Svix headers). The signature is
 * checked on the raw body (at most MAX_WEBHOOK_BYTES, webhook-body.ts) before anything is parsed;
 * forged, stale or unsigned → 401 and nothing changes. A permanent bounce or a complaint suppresses
 * the address (idempotent, so Svix's retries and redeliveries are harmless); other events are
 * acknowledged and ignored.
 *
 * Cloudflare Email Service has no webhook: its events come on a Queue (provider-events.ts).
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import {
  applySuppressions,
  ResendEvent,
  suppressionsFromResend,
} from "../notifications/preferences/provider-events";
import { verifySvix } from "../notifications/preferences/svix";
import { readWebhookBody } from "./webhook-body";

export const emailWebhookRoutes = new Hono<AppEnv>().post("/resend", async (c) => {
  const { text: raw } = await readWebhookBody(c.req.raw);
  const valid = await verifySvix(
    c.env.RESEND_WEBHOOK_SECRET,
    {
      id: c.req.header("svix-id"),
      timestamp: c.req.header("svix-timestamp"),
      signature: c.req.header("svix-signature"),
    },
    raw,
  );
  if (!valid) throw new AppError("unauthenticated", "Invalid webhook signature.");
  let event: ResendEvent;
  try {
    event = ResendEvent.parse(JSON.parse(raw));
  } catch {
    throw new AppError("bad_request", "Not a Resend webhook event.");
  }
  await applySuppressions(c.var.db, suppressionsFromResend(event));
  return c.body(null, 204);
});
