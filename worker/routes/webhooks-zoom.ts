/**
 * POST /webhooks/zoom — Zoom's URL-validation handshake and signed event intake. The signature
 * (`v0=` HMAC of "v0:<ts>:<raw body>" with the Secret Token) is checked on the raw body with a
 * 5-minute tolerance. The handshake is answered here, synchronously; any other valid event is sent
 * to `webhook-events` first (as for Calendly: a failed send answers 503 and Zoom retries) and
 * answered 204. The consumer stores it once (../zoom/webhook-envelope.ts names the dedupe key).
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { hmacSha256Hex, importHmacKey, verifyHmacSha256Hex } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { ttlCache } from "../lib/ttl-cache";
import { enqueueDelivery } from "../queues/webhook-message";
import { ZoomEnvelope } from "../zoom/webhook-envelope";
import { readWebhookBody } from "./webhook-body";

const TOLERANCE_S = 300;

/** The Secret Token's imported HMAC key, per isolate: no key import per delivery. */
const secretKeys = ttlCache<CryptoKey>({ max: 4, ttlMs: 10 * 60_000 });

export const zoomWebhookRoutes = new Hono<AppEnv>().post("/", async (c) => {
  const receivedAt = Date.now();
  const { bytes, text: raw } = await readWebhookBody(c.req.raw);
  const secret = c.env.ZOOM_WEBHOOK_SECRET_TOKEN;
  const ts = Number(c.req.header("x-zm-request-timestamp"));
  const signature = c.req.header("x-zm-signature") ?? "";
  const fresh = Number.isFinite(ts) && Math.abs(Date.now() / 1000 - ts) <= TOLERANCE_S;
  const valid =
    Boolean(secret) &&
    fresh &&
    signature.startsWith("v0=") &&
    (await verifyHmacSha256Hex(
      await secretKeys.get(secret, () => importHmacKey(secret)),
      `v0:${ts}:${raw}`,
      signature.slice(3),
    ));
  if (!valid) throw new AppError("unauthenticated", "Invalid webhook signature.");

  let envelope: ZoomEnvelope;
  try {
    envelope = ZoomEnvelope.parse(JSON.parse(raw));
  } catch {
    throw new AppError("bad_request", "Not a Zoom webhook envelope.");
  }
  if (envelope.event === "endpoint.url_validation" && envelope.payload.plainToken) {
    const plainToken = envelope.payload.plainToken;
    return c.json({ plainToken, encryptedToken: await hmacSha256Hex(secret, plainToken) }, 200);
  }
  await enqueueDelivery(c.env, { provider: "zoom", body: bytes, receivedAt });
  return c.body(null, 204);
});
