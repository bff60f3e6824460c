/**
 * The `resend` transport: POST https://api.resend.com/emails with RESEND_API_KEY. The outbox row id
 * is the Idempotency-Key (Resend keeps it 24 h: a retried send returns the first answer, never a
 * second mail). 429 and 5xx (or no answer) are retryable; any other 4xx is permanent.
 */
import { AppError } from "../../lib/errors";
import type { OutgoingMessage, Transport } from "../transport";
import { base64Utf8 } from "./address";

export const RESEND_API = "https://api.resend.com";

export function toResendBody(msg: OutgoingMessage) {
  return {
    from: msg.from,
    to: [msg.to],
    ...(msg.replyTo ? { reply_to: msg.replyTo } : {}),
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    headers: msg.headers,
    attachments: msg.attachments.map((a) => ({
      filename: a.filename,
      content: base64Utf8(a.content),
      content_type: a.contentType,
    })),
  };
}

export function resendTransport(env: Env): Transport {
  return {
    name: "resend",
    async send(msg) {
      if (!env.RESEND_API_KEY)
        throw new AppError(
          "misconfigured",
          "EMAIL_TRANSPORT is resend but RESEND_API_KEY is unset.",
        );
      let res: Response;
      try {
        res = await fetch(`${RESEND_API}/emails`, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${env.RESEND_API_KEY}`,
            "Content-Type": "application/json",
            "Idempotency-Key": msg.id.slice(0, 256),
          },
          body: JSON.stringify(toResendBody(msg)),
        });
      } catch {
        throw new AppError("upstream_unavailable", "Resend could not be reached.");
      }
      if (res.status === 429)
        throw new AppError("rate_limited", "Resend is rate limiting; will retry.");
      if (res.status >= 500)
        throw new AppError("upstream_unavailable", `Resend answered ${res.status}; will retry.`);
      if (!res.ok) {
        const detail = await res.json<{ message?: string }>().catch(() => null);
        throw new AppError(
          "bad_request",
          `Resend refused the message (${res.status}): ${String(detail?.message ?? "no reason given").slice(0, 200)}`,
        );
      }
      const body = await res.json<{ id?: string }>().catch(() => null);
      if (!body?.id) throw new AppError("upstream_error", "Resend's answer had no message id.");
      return { providerMessageId: body.id };
    },
  };
}
