/**
 * The one application error. A closed set of codes maps to HTTP statuses in one table; `message` is
 * safe to show a coach, `internal` goes to logs only. `toAppError` folds anything thrown into one.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** The resource existed and never will again (a deleted webhook subscription): stop sending. */
  gone: 410,
  /** A provider connection (Calendly, Zoom) must be re-authorised: distinct from a login 401. */
  reconnect_required: 424,
  payload_too_large: 413,
  /** The body is not in a media type the route accepts (JSON routes take application/json only). */
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_error: 502,
  upstream_unavailable: 503,
  unavailable: 503,
  internal: 500,
  /**
   * Kairos's own configuration is wrong (Calendly refused our client credentials; a stored secret
   * uses an encryption key no longer configured). Only an operator can fix it; never a reconnect.
   */
  misconfigured: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS;

/** `Retry-After` of a 429 that knows nothing better: the length of our own limits' period. */
const DEFAULT_RETRY_AFTER_S = 60;

export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      details?: unknown;
      internal?: unknown;
      cause?: unknown;
      /** Sent as `Retry-After` (a 429 or 503 that knows when trying again makes sense). */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = STATUS[code];
  }
  get details(): unknown {
    return this.options.details;
  }
  get internal(): unknown {
    return this.options.internal;
  }
  /**
   * Every 429 says when to come back: the time given, else the `details.retryAt` instant the error
   * carries (an upstream's reset), else a minute. Other errors only when one was given.
   */
  get retryAfterSeconds(): number | undefined {
    if (this.options.retryAfterSeconds !== undefined) return this.options.retryAfterSeconds;
    if (this.status !== 429) return undefined;
    const retryAt = (this.details as { retryAt?: unknown } | undefined)?.retryAt;
    const at = typeof retryAt === "string" ? Date.parse(retryAt) : Number.NaN;
    if (Number.isNaN(at)) return DEFAULT_RETRY_AFTER_S;
    return Math.max(1, Math.ceil((at - Date.now()) / 1000));
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    const code = codeForStatus(err.status);
    return new AppError(code, err.message || "Request failed", { cause: err });
  }
  return new AppError("internal", "Something went wrong on our side. Please try again.", {
    internal: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    cause: err,
  });
}

function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return match ? match[0] : status >= 500 ? "internal" : "bad_request";
}
