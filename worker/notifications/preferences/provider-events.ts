/**
 * Provider delivery events → the suppression list. Only what means "never mail this address again"
 * suppresses: Resend's permanent bounce, complaint and its own suppression; Cloudflare's hard bounce,
 * complaint and a rejection because the address is suppressed there. Soft bounces, deliveries and
 * opens change nothing. Everything else is ignored (answered 2xx so the provider stops retrying).
 */
import { z } from "zod";
import { createDb, type Database } from "../../db/client";
import { log } from "../../lib/log";
import { type SuppressionInput, suppress } from "./store";

const Email = z.string().trim().toLowerCase().email().max(320);

export const ResendEvent = z.object({
  type: z.string().max(100),
  data: z
    .object({
      email_id: z.string().max(200).optional(),
      to: z.array(z.string().max(400)).max(50).optional(),
      bounce: z
        .object({
          message: z.string().max(2000).optional(),
          type: z.string().max(100).optional(),
          subType: z.string().max(100).optional(),
        })
        .optional(),
    })
    .passthrough(),
});
export type ResendEvent = z.infer<typeof ResendEvent>;

/** "Name <a@b>" or "a@b" → "a@b", or null when it is not an address. */
const addressOf = (raw: string) => {
  const parsed = Email.safeParse(/<([^>]+)>/.exec(raw)?.[1] ?? raw);
  return parsed.success ? parsed.data : null;
};

export function suppressionsFromResend(event: ResendEvent): SuppressionInput[] {
  const { type, data } = event;
  let reason: SuppressionInput["reason"] | null = null;
  if (type === "email.complained") reason = "complaint";
  else if (type === "email.suppressed") reason = "bounce";
  else if (type === "email.bounced" && data.bounce?.type !== "Transient") reason = "bounce";
  if (!reason) return [];
  const detail =
    data.bounce?.message ?? (type === "email.suppressed" ? "Suppressed by Resend." : null);
  return (data.to ?? [])
    .map(addressOf)
    .filter((email): email is string => email !== null)
    .map((email) => ({
      email,
      reason: reason as SuppressionInput["reason"],
      source: "resend" as const,
      detail,
      providerMessageId: data.email_id ?? null,
    }));
}

export const CloudflareEmailEvent = z.object({
  type: z.string().max(100),
  source: z.object({ type: z.literal("email.sending") }).passthrough(),
  payload: z
    .object({
      eventId: z.string().max(200),
      messageId: z.string().max(500).optional(),
      recipient: z.string().max(400),
      bounce: z
        .object({
          type: z.string().max(20).optional(),
          reason: z.string().max(2000).optional(),
        })
        .optional(),
      rejection: z
        .object({ reason: z.string().max(200).optional() })
        .passthrough()
        .optional(),
      complaint: z
        .object({ type: z.string().max(100).optional() })
        .passthrough()
        .optional(),
    })
    .passthrough(),
});
export type CloudflareEmailEvent = z.infer<typeof CloudflareEmailEvent>;

const CF = "cf.email.sending.message.";

export function suppressionFromCloudflare(event: CloudflareEmailEvent): SuppressionInput | null {
  const { type, payload } = event;
  let reason: SuppressionInput["reason"] | null = null;
  if (type === `${CF}complained`) reason = "complaint";
  else if (type === `${CF}bounced` && payload.bounce?.type === "hard") reason = "bounce";
  else if (type === `${CF}rejected` && payload.rejection?.reason === "suppressed")
    reason = "bounce";
  if (!reason) return null;
  const email = addressOf(payload.recipient);
  if (!email) return null;
  return {
    email,
    reason,
    source: "cloudflare",
    detail:
      payload.bounce?.reason ??
      (reason === "complaint" ? "Marked as spam by the recipient." : "Suppressed by Cloudflare."),
    providerMessageId: payload.messageId ?? null,
  };
}

export async function applySuppressions(db: Database, inputs: SuppressionInput[]) {
  for (const input of inputs) {
    await suppress(db, input);
    log.info("notifications.suppressed", { reason: input.reason, source: input.source });
  }
  return inputs.length;
}

/**
 * Cloudflare's lifecycle events arrive on a Queue (an event subscription per sending domain; there
 * is no webhook and no signature — only Cloudflare can write to the queue). One message body each.
 */
export async function handleCloudflareEmailEvents(db: Database, bodies: unknown[]) {
  let applied = 0;
  for (const body of bodies) {
    const parsed = CloudflareEmailEvent.safeParse(body);
    if (!parsed.success) {
      log.warn("notifications.email_event_unreadable", {});
      continue;
    }
    const input = suppressionFromCloudflare(parsed.data);
    if (input) applied += await applySuppressions(db, [input]);
  }
  return applied;
}

/** The `email-events` queue consumer: each message settles on its own (D1 down → retry later). */
export async function consumeEmailEvents(batch: MessageBatch<unknown>, env: Env) {
  const db = createDb(env.DB);
  for (const msg of batch.messages) {
    try {
      await handleCloudflareEmailEvents(db, [msg.body]);
      msg.ack();
    } catch {
      log.warn("notifications.email_event_retry", { id: msg.id, attempts: msg.attempts });
      msg.retry({ delaySeconds: Math.min(600, 30 * 2 ** msg.attempts) });
    }
  }
}
