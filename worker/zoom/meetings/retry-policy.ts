/**
 * What a failed meeting sync means for the booking: when Kairos tries again (its own schedule, or
 * later when Zoom named a time: a 429's Retry-After, an open breaker, midnight UTC for the 100
 * writes a day), whether trying again can help at all, and the reason in the coach's words.
 * The booking itself always stands.
 */
import { AppError } from "../../lib/errors";

/** Matches `max_retries` of the `jobs` consumer (wrangler.toml): delivery 6 is the last. */
export const JOB_MAX_RETRIES = 5;
/** Seconds before try n+1 (≈ 52 minutes in all), so a Zoom outage never becomes a request storm. */
const SCHEDULE_S = [60, 120, 300, 900, 1800];

export type Failure = {
  /** Worth another try (a Zoom outage, a limit): the job throws so the queue retries. */
  transient: boolean;
  /** When the next try runs; null when none will without the coach. */
  retryAt: Date | null;
  message: string;
};

const TRANSIENT = new Set(["rate_limited", "upstream_unavailable", "unavailable", "internal"]);

function namedRetryAt(err: unknown): number | null {
  if (!(err instanceof AppError)) return null;
  const at = Date.parse(String((err.details as { retryAt?: unknown } | undefined)?.retryAt));
  return Number.isFinite(at) ? at : null;
}

export function failureOf(err: unknown, attempts: number, now = new Date()): Failure {
  const code = err instanceof AppError ? err.code : "internal";
  if (code === "reconnect_required") {
    return {
      transient: false,
      retryAt: null,
      message: "Zoom needs to be reconnected (Settings → Connections); then press Retry.",
    };
  }
  const reason =
    err instanceof AppError && code !== "internal"
      ? err.message
      : "Something went wrong while talking to Zoom.";
  if (!TRANSIENT.has(code)) return { transient: false, retryAt: null, message: reason };
  if (attempts > JOB_MAX_RETRIES) {
    return {
      transient: true,
      retryAt: null,
      message: `${reason} Kairos stopped retrying; press Retry to try again.`,
    };
  }
  const ours = now.getTime() + (SCHEDULE_S[attempts - 1] ?? 3600) * 1000;
  const theirs = namedRetryAt(err) ?? 0;
  return { transient: true, retryAt: new Date(Math.max(ours, theirs)), message: reason };
}
