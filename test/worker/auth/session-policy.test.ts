import { describe, expect, it } from "vitest";
import {
  SESSION_POLICY,
  sessionExpiresAt,
  sessionState,
  shouldTouch,
} from "../../../worker/auth/session-policy";

const DAY = 86_400_000;
const signedInAt = Date.parse("2025-03-01T09:00:00Z");
const session = (lastSeenAt: number | null) => ({
  createdAt: new Date(signedInAt),
  expiresAt: sessionExpiresAt(signedInAt),
  lastSeenAt: lastSeenAt === null ? null : new Date(lastSeenAt),
});

describe("login session policy", () => {
  it("ends a session after 7 days without a request, counted from the last one seen", () => {
    const seen = signedInAt + 10 * DAY;
    expect(sessionState(session(seen), seen + 7 * DAY - 1)).toBe("live");
    expect(sessionState(session(seen), seen + 7 * DAY)).toBe("idle");
  });

  it("counts idle time from sign-in for a row that was never seen (rows older than the column)", () => {
    expect(sessionState(session(null), signedInAt + 6 * DAY)).toBe("live");
    expect(sessionState(session(null), signedInAt + 7 * DAY)).toBe("idle");
  });

  it("ends a session 30 days after sign-in even when the coach was active a minute ago", () => {
    const now = signedInAt + 30 * DAY;
    expect(sessionState(session(now - 60_000), now - 1)).toBe("live");
    expect(sessionState(session(now - 60_000), now)).toBe("expired");
  });

  it("records 'seen' at most every 10 minutes", () => {
    const seen = signedInAt + DAY;
    expect(shouldTouch(session(seen), seen + SESSION_POLICY.touchEveryMs - 1)).toBe(false);
    expect(shouldTouch(session(seen), seen + SESSION_POLICY.touchEveryMs)).toBe(true);
  });
});
