/**
 * POST /webhooks/zoom — Zoom's URL-validation handshake and signed event intake. The signature
 * (`v0=` HMAC of "v0:<ts>:<raw body>" with the Secret Token) is checked on the raw body with a
 * 5-minute tolerance; valid events are stored once (dedupe key per contract §4.4) and answered 204.
 * Attendance processing of stored Zoom events belongs to the Zoom issue; nothing consumes them yet.
 */
import { Hono } from "hono";
import { z } from "zod";
import { insertWebhookEvent } from "../db/webhook-events";
import type { AppEnv } from "../env";
import { hmacSha256Hex, verifyHmacSha256Hex } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { MAX_WEBHOOK_BYTES } from "./webhooks-calendly";

const TOLERANCE_S = 300;

const ZoomEnvelope = z.looseObject({
  event: z.string().min(1),
  event_ts: z.number(),
  payload: z.looseObject({
    plainToken: z.string().optional(),
    object: z
      .looseObject({
        uuid: z.string().optional(),
        participant: z
          .looseObject({ participant_uuid: z.string().optional(), user_id: z.string().optional() })
          .optional(),
      })
      .optional(),
  }),
});

export const zoomWebhookRoutes = new Hono<AppEnv>().post("/", async (c) => {
  const raw = await c.req.text();
  if (new TextEncoder().encode(raw).byteLength > MAX_WEBHOOK_BYTES) {
    throw new AppError("payload_too_large", "Body too large.");
  }
  const ts = Number(c.req.header("x-zm-request-timestamp"));
  const signature = c.req.header("x-zm-signature") ?? "";
  const fresh = Number.isFinite(ts) && Math.abs(Date.now() / 1000 - ts) <= TOLERANCE_S;
  const valid =
    fresh &&
    signature.startsWith("v0=") &&
    (await verifyHmacSha256Hex(
      c.env.ZOOM_WEBHOOK_SECRET_TOKEN,
      `v0:${ts}:${raw}`,
      signature.slice(3),
    ));
  if (!valid) throw new AppError("unauthenticated", "Invalid webhook signature.");

  let envelope: z.infer<typeof ZoomEnvelope>;
  try {
    envelope = ZoomEnvelope.parse(JSON.parse(raw));
  } catch {
    throw new AppError("bad_request", "Not a Zoom webhook envelope.");
  }
  if (envelope.event === "endpoint.url_validation" && envelope.payload.plainToken) {
    const plainToken = envelope.payload.plainToken;
    return c.json(
      {
        plainToken,
        encryptedToken: await hmacSha256Hex(c.env.ZOOM_WEBHOOK_SECRET_TOKEN, plainToken),
      },
      200,
    );
  }
  const o = envelope.payload.object;
  const who = o?.participant?.participant_uuid ?? o?.participant?.user_id ?? "";
  await insertWebhookEvent(c.var.db, {
    provider: "zoom",
    dedupeKey: ["zoom", envelope.event, o?.uuid ?? "", who, envelope.event_ts].join("|"),
    event: envelope.event,
    coachId: null,
    payload: raw,
  });
  return c.body(null, 204);
});
