/**
 * SMS through Twilio's Messages API: POST {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json,
 * form-encoded, Basic auth (account SID : auth token). `From` is TWILIO_FROM (an E.164 number, or a
 * Messaging Service "MG…" sid). Only to E.164 numbers, only for clients who opted in (the caller
 * checks deliveryBlock with channel "sms"). Twilio has no idempotency key: the outbox row is the
 * dedupe. 429 and 5xx are retryable; other 4xx are permanent. Status callbacks come back to
 * /webhooks/sms/twilio/status (routes/webhooks-sms.ts).
 */
import { AppError } from "../../lib/errors";

export const E164 = /^\+[1-9]\d{6,14}$/;
/** Twilio's limit for one message body. */
export const MAX_SMS_BODY = 1600;

export type OutgoingSms = { id: string; to: string; body: string };

export function twilioSms(env: Env) {
  return {
    name: "twilio" as const,
    async send(sms: OutgoingSms): Promise<{ providerMessageId: string }> {
      const sid = env.TWILIO_ACCOUNT_SID;
      if (!sid || !env.TWILIO_AUTH_TOKEN || !env.TWILIO_FROM)
        throw new AppError("misconfigured", "Twilio is not configured (account, token, sender).");
      if (!E164.test(sms.to)) throw new AppError("bad_request", "SMS go to E.164 numbers only.");
      const form = new URLSearchParams({
        To: sms.to,
        [env.TWILIO_FROM.startsWith("MG") ? "MessagingServiceSid" : "From"]: env.TWILIO_FROM,
        Body: sms.body.slice(0, MAX_SMS_BODY),
        StatusCallback: new URL("/webhooks/sms/twilio/status", env.APP_URL).toString(),
      });
      let res: Response;
      try {
        res = await fetch(`${env.TWILIO_API_BASE}/2010-04-01/Accounts/${sid}/Messages.json`, {
          method: "POST",
          headers: {
            Authorization: `Basic ${btoa(`${sid}:${env.TWILIO_AUTH_TOKEN}`)}`,
            "Content-Type": "application/x-www-form-urlencoded",
          },
          body: form,
        });
      } catch {
        throw new AppError("upstream_unavailable", "Twilio could not be reached.");
      }
      if (res.status === 429) throw new AppError("rate_limited", "Twilio is rate limiting.");
      if (res.status >= 500)
        throw new AppError("upstream_unavailable", `Twilio answered ${res.status}; will retry.`);
      const body = await res
        .json<{ sid?: string; message?: string; code?: number }>()
        .catch(() => null);
      if (!res.ok)
        throw new AppError(
          "bad_request",
          `Twilio refused the SMS (${res.status}${body?.code ? `, ${body.code}` : ""}).`,
        );
      if (!body?.sid) throw new AppError("upstream_error", "Twilio's answer had no message sid.");
      return { providerMessageId: body.sid };
    },
  };
}
