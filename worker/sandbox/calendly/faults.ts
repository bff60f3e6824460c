/**
 * Switches for breaking the fake Calendly on purpose, so Kairos's recovery can be watched: a queue
 * of API faults (a burst of 5xx, slow answers that outlive Kairos's 10 s timeout, 429s with reset
 * headers) kept in the key/value table under "faults", and token switches (expire a coach's access
 * tokens now, revoke their refresh tokens so the next refresh is `invalid_grant`).
 */
import { and, eq, sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { sbKv, sbTokens } from "../db/schema";
import { apiError, getSettings, type SandboxDb, sandboxDb } from "./store";

export type FaultKind = "5xx" | "timeout" | "429";
export type Fault = {
  kind: FaultKind;
  /** API answers still to be spoiled; the fault is over at 0. */
  remaining: number;
  /** For 429: `Retry-After` and `X-RateLimit-Reset`, in seconds. */
  retryAfterSeconds?: number;
  /** For timeout: how long the answer is held back before it is given normally. */
  delayMs?: number;
};

const KEY = "faults";
export const DEFAULT_TIMEOUT_DELAY_MS = 12_000;
export const DEFAULT_RETRY_AFTER_S = 30;

/** The active fault, or null when none is queued (or it is used up). */
export async function getFault(db: SandboxDb): Promise<Fault | null> {
  const row = await db.query.sbKv.findFirst({ where: eq(sbKv.key, KEY) });
  if (!row) return null;
  const fault = JSON.parse(row.value) as Fault;
  return fault.remaining > 0 ? fault : null;
}

/** Replaces the active fault; null clears it. */
export async function setFault(db: SandboxDb, fault: Fault | null): Promise<Fault | null> {
  if (!fault || fault.remaining <= 0) {
    await db.delete(sbKv).where(eq(sbKv.key, KEY));
    return null;
  }
  const value = JSON.stringify(fault);
  await db
    .insert(sbKv)
    .values({ key: KEY, value })
    .onConflictDoUpdate({ target: sbKv.key, set: { value } });
  return fault;
}

/** Takes one unit of the active fault in a single statement; returns it (as it was) or null. */
export async function consumeFault(db: SandboxDb): Promise<Fault | null> {
  const rows = await db
    .update(sbKv)
    .set({
      value: sql`json_set(${sbKv.value}, '$.remaining', json_extract(${sbKv.value}, '$.remaining') - 1)`,
    })
    .where(and(eq(sbKv.key, KEY), sql`json_extract(${sbKv.value}, '$.remaining') > 0`))
    .returning({ value: sbKv.value });
  const row = rows[0];
  if (!row) return null;
  const fault = JSON.parse(row.value) as Fault;
  return { ...fault, remaining: fault.remaining + 1 };
}

/** API-only middleware: spoils the next answers as the active fault says. */
export const injectFaults = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const fault = await consumeFault(sandboxDb(c.env));
    if (!fault) return next();
    switch (fault.kind) {
      case "5xx":
        return apiError(
          c,
          500,
          "Internal Server Error",
          "The server encountered an unexpected condition that prevented it from fulfilling the request.",
        );
      case "429": {
        const seconds = String(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S);
        c.header("Retry-After", seconds);
        const { rateLimitPerMinute } = await getSettings(sandboxDb(c.env));
        c.header("X-RateLimit-Limit", String(rateLimitPerMinute));
        c.header("X-RateLimit-Remaining", "0");
        c.header("X-RateLimit-Reset", seconds);
        return apiError(c, 429, "Too Many Requests", "You have exceeded the rate limit");
      }
      case "timeout":
        await new Promise((resolve) =>
          setTimeout(resolve, fault.delayMs ?? DEFAULT_TIMEOUT_DELAY_MS),
        );
        return next();
    }
  });

/** Makes every live access token of the user expired as of now; returns the rows changed. */
export async function expireAccessTokens(db: SandboxDb, userId: string): Promise<number> {
  const rows = await db
    .update(sbTokens)
    .set({ expiresAt: Date.now() - 1 })
    .where(
      and(eq(sbTokens.userId, userId), eq(sbTokens.kind, "access"), eq(sbTokens.revoked, false)),
    )
    .returning({ token: sbTokens.token });
  return rows.length;
}

/** Revokes every refresh token of the user, so the next refresh answers `invalid_grant`. */
export async function revokeRefreshTokens(db: SandboxDb, userId: string): Promise<number> {
  const rows = await db
    .update(sbTokens)
    .set({ revoked: true })
    .where(
      and(eq(sbTokens.userId, userId), eq(sbTokens.kind, "refresh"), eq(sbTokens.revoked, false)),
    )
    .returning({ token: sbTokens.token });
  return rows.length;
}
