/**
 * When a login session is still good, kept pure (the clock is passed in) so the rules are tested
 * without waiting: a session ends 30 days after sign-in whatever happens (absolute), or after 7 days
 * without a request (idle). "Seen" is written at most every 10 minutes, so an active coach costs
 * one D1 write per 10 minutes, not one per request.
 */
export const SESSION_POLICY = {
  absoluteMs: 30 * 86_400_000,
  idleMs: 7 * 86_400_000,
  touchEveryMs: 10 * 60_000,
};

export type SessionTimes = { createdAt: Date; expiresAt: Date; lastSeenAt: Date | null };

const lastSeen = (s: SessionTimes) => (s.lastSeenAt ?? s.createdAt).getTime();

export const sessionExpiresAt = (now: number) => new Date(now + SESSION_POLICY.absoluteMs);

/** "live", or why the session no longer signs anyone in. */
export function sessionState(s: SessionTimes, now: number): "live" | "expired" | "idle" {
  if (s.expiresAt.getTime() <= now) return "expired";
  if (now - lastSeen(s) >= SESSION_POLICY.idleMs) return "idle";
  return "live";
}

/** Whether this request should record "seen" (throttled so most requests write nothing). */
export const shouldTouch = (s: SessionTimes, now: number) =>
  now - lastSeen(s) >= SESSION_POLICY.touchEveryMs;
