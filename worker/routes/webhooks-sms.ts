/**
 * Twilio's webhooks, both verified with X-Twilio-Signature over the public URL (APP_URL's origin +
 * path + query, since a proxy may change the host the worker sees) and the form parameters; forged →
 * 401 and nothing changes.
 * - POST /webhooks/sms/twilio/status: a message's status callback (queued … delivered, failed);
 *   acknowledged (the SMS outbox that would record it is not built yet: logged only).
 * - POST /webhooks/sms/twilio/inbound: a client texting our number. STOP (and Twilio's other
 *   opt-out words) turns SMS reminders off for that number; START / UNSTOP back on. Answered with
 *   empty TwiML: Twilio itself sends the carrier-required STOP/START confirmations.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { setSmsByPhone } from "../notifications/preferences/store";
import { verifyTwilioSignature } from "../notifications/preferences/twilio-signature";
import { E164 } from "../notifications/transports/twilio";
import { readWebhookBody } from "./webhook-body";

const OPT_OUT = new Set([
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
]);
const OPT_IN = new Set(["START", "UNSTOP", "YES"]);

async function verifiedParams(c: Context<AppEnv>) {
  const { text } = await readWebhookBody(c.req.raw);
  const params = Object.fromEntries(new URLSearchParams(text));
  const seen = new URL(c.req.url);
  const publicUrl = `${new URL(c.env.APP_URL).origin}${seen.pathname}${seen.search}`;
  const ok = await verifyTwilioSignature(
    c.env.TWILIO_AUTH_TOKEN,
    publicUrl,
    params,
    c.req.header("x-twilio-signature"),
  );
  if (!ok) throw new AppError("unauthenticated", "Invalid webhook signature.");
  return params;
}

export const smsWebhookRoutes = new Hono<AppEnv>()
  .post("/twilio/status", async (c) => {
    const params = await verifiedParams(c);
    log.info("notifications.sms_status", {
      status: String(params.MessageStatus ?? "").slice(0, 30),
      errorCode: params.ErrorCode ? String(params.ErrorCode).slice(0, 10) : undefined,
    });
    return c.body(null, 204);
  })
  .post("/twilio/inbound", async (c) => {
    const params = await verifiedParams(c);
    const from = params.From ?? "";
    const word = (params.Body ?? "").trim().toUpperCase();
    if (E164.test(from) && (OPT_OUT.has(word) || OPT_IN.has(word))) {
      const changed = await setSmsByPhone(c.var.db, from, OPT_IN.has(word));
      log.info("notifications.sms_opt", { optIn: OPT_IN.has(word), rows: changed });
    }
    return c.body("<Response></Response>", 200, { "Content-Type": "text/xml" });
  });
