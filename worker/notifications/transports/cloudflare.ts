/**
 * The `cloudflare` transport: Cloudflare Email Service through the `send_email` binding EMAIL
 * (wrangler.toml). Headers the service rejects are dropped here (Date, Message-ID, MIME-Version,
 * Content-*, DKIM-Signature, Return-Path, Received, Feedback-ID, ARC-*, TLS-*, CFBL-*; the address
 * headers go in fields), so one stray header cannot fail every send. Attachments go base64 (binary
 * ones fail locally). No idempotency key exists: the outbox row is the dedupe (one send per claim).
 *
 * Errors carry a string `.code`: only rate/daily-limit/internal ones are retried; a suppressed
 * recipient is also written to our suppression list so later messages skip it before sending.
 */
import { createDb } from "../../db/client";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/log";
import { suppress } from "../preferences/store";
import type { OutgoingMessage, Transport } from "../transport";
import { base64Utf8, parseAddress } from "./address";

type Address = string | { email: string; name?: string };
export type EmailServiceMessage = {
  from: Address;
  to: Address;
  replyTo?: Address;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { disposition: "attachment"; filename: string; type: string; content: string }[];
};
/** The binding's builder form (contract §1); the generated types may lag it. */
export type EmailServiceBinding = {
  send(message: EmailServiceMessage): Promise<{ messageId: string }>;
};

const REJECTED =
  /^(date|message-id|mime-version|content-type|content-transfer-encoding|dkim-signature|return-path|received|feedback-id|from|to|cc|bcc|subject|reply-to|arc-.*|tls-.*|cfbl-.*)$/i;
const RETRYABLE = new Set([
  "E_RATE_LIMIT_EXCEEDED",
  "E_DAILY_LIMIT_EXCEEDED",
  "E_INTERNAL_SERVER_ERROR",
]);

export function toEmailServiceMessage(msg: OutgoingMessage): EmailServiceMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(msg.headers))
    if (!REJECTED.test(name)) headers[name] = value;
  return {
    from: parseAddress(msg.from),
    to: msg.to,
    ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    headers,
    attachments: msg.attachments.map((a) => ({
      disposition: "attachment",
      filename: a.filename,
      type: a.contentType,
      content: base64Utf8(a.content),
    })),
  };
}

export function cloudflareTransport(env: Env): Transport {
  return {
    name: "cloudflare",
    async send(msg) {
      const binding = (env as unknown as { EMAIL?: EmailServiceBinding }).EMAIL;
      if (!binding?.send)
        throw new AppError("misconfigured", "EMAIL_TRANSPORT is cloudflare but no EMAIL binding.");
      try {
        const { messageId } = await binding.send(toEmailServiceMessage(msg));
        return { providerMessageId: messageId };
      } catch (err) {
        const code = String((err as { code?: unknown })?.code ?? "");
        if (code === "E_RECIPIENT_SUPPRESSED")
          await suppress(createDb(env.DB), {
            email: msg.to,
            reason: "bounce",
            source: "cloudflare",
            detail: "Cloudflare's suppression list refused the address.",
          });
        if (RETRYABLE.has(code) || !code) {
          log.warn("notifications.cloudflare_retryable", { code: code || "unknown" });
          throw new AppError(
            code === "E_INTERNAL_SERVER_ERROR" || !code ? "upstream_unavailable" : "rate_limited",
            `Cloudflare Email Service: ${code || "send failed"}.`,
          );
        }
        throw new AppError("bad_request", `Cloudflare Email Service refused the message: ${code}.`);
      }
    },
  };
}
