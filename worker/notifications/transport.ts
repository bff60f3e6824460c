/**
 * One interface for every way a message leaves Kairos. The pipeline renders a message, builds an
 * OutgoingMessage and hands it to `transportFor(env)`; which transport that is comes from the
 * EMAIL_TRANSPORT var: "outbox" (the local store behind /dev/mailbox; the sandbox default),
 * "cloudflare" (the Email Service `send_email` binding) or "resend" (HTTP).
 *
 * A transport throws AppError on failure: `upstream_unavailable` / `rate_limited` (retryable — the
 * queue retries with backoff) or `bad_request` / `misconfigured` (permanent — the row is marked
 * failed at once, no retries). `isRetryable` below is the one place that decides.
 */
import { AppError } from "../lib/errors";
import type { Attachment } from "./render/types";
import { outboxTransport } from "./transports/outbox";
import { PROVIDER_TRANSPORTS } from "./transports/providers";

export type OutgoingMessage = {
  /** The outbox row id: stable across retries, so a provider's idempotency key can be built from it. */
  id: string;
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Complete extra headers (List-Unsubscribe, List-Unsubscribe-Post, the renderer's own). */
  headers: Record<string, string>;
  attachments: Attachment[];
};

export type TransportName = "outbox" | "cloudflare" | "resend";

export interface Transport {
  name: TransportName;
  send(msg: OutgoingMessage): Promise<{ providerMessageId: string }>;
}

export type TransportFactory = (env: Env) => Transport;

export const TRANSPORT_NAMES: readonly TransportName[] = ["outbox", "cloudflare", "resend"];

/** The configured transport. Unset: the outbox (local and sandbox never mail anybody by accident). */
export function transportFor(env: Env): Transport {
  const name = (env.EMAIL_TRANSPORT || "outbox") as TransportName;
  if (name === "outbox") return outboxTransport(env);
  const factory = PROVIDER_TRANSPORTS[name];
  if (!factory) {
    throw new AppError("misconfigured", `EMAIL_TRANSPORT "${name}" is not a known transport.`);
  }
  return factory(env);
}

/** The sender address: EMAIL_FROM, e.g. "Kairos <notifications@kairos.example.com>". */
export const emailFrom = (env: Env): string =>
  env.EMAIL_FROM || "Kairos <notifications@kairos.test>";

/** Failures worth trying again (the provider was down or busy); everything else is permanent. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof AppError)) return true;
  return (
    err.code === "upstream_unavailable" ||
    err.code === "upstream_error" ||
    err.code === "rate_limited" ||
    err.code === "unavailable" ||
    err.code === "internal"
  );
}
