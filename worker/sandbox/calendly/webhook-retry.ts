/**
 * What the fake Calendly does after a webhook delivery fails (contract §3.6, Calendly's
 * webhook-errors page): `410 Gone` deletes the subscription at once, with no retry; any other
 * failure (3xx, 4xx, 5xx, timeout) is retried with exponential back-off for 24 hours after the
 * delivery was queued, and a delivery still failing then disables the subscription for good.
 * Calendly does not publish its schedule, so the gaps here are 1, 2, 4 … minutes, capped at an hour,
 * with a last try at the 24-hour mark; the 5-minute cron sends the retries, so real gaps round up to
 * its ticks. Pure, with `now` injected, so tests can walk the whole day.
 */

export const RETRY_WINDOW_MS = 24 * 3_600_000;
const FIRST_GAP_MS = 60_000;
const MAX_GAP_MS = 3_600_000;

export type AfterFailure =
  | { action: "delete_subscription" }
  | { action: "retry"; at: number }
  | { action: "disable_subscription" };

/**
 * `status` is the answer (0 = no answer), `attempts` how many were made including this one,
 * `queuedAt` when the delivery was first due.
 */
export function afterFailure(
  status: number,
  attempts: number,
  queuedAt: number,
  now: number,
): AfterFailure {
  if (status === 410) return { action: "delete_subscription" };
  const windowEnd = queuedAt + RETRY_WINDOW_MS;
  if (now >= windowEnd) return { action: "disable_subscription" };
  const gap = Math.min(FIRST_GAP_MS * 2 ** Math.max(0, attempts - 1), MAX_GAP_MS);
  return { action: "retry", at: Math.min(now + gap, windowEnd) };
}
