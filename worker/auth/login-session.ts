/**
 * Login sessions: an opaque random cookie (`__Host-` prefixed: HttpOnly, Secure, Path=/, no Domain,
 * SameSite=Lax) whose HMAC is the D1 key. A session ends 30 days after sign-in, after 7 idle days
 * (auth/session-policy.ts), on sign-out, or when the coach signs out everywhere.
 * `requireCoach()` guards every private /api route and puts the caller's CoachScope on the context.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import {
  findUnrevokedLoginSession,
  insertLoginSession,
  revokeAllLoginSessions,
  revokeLoginSession,
  touchLoginSession,
} from "../db/login-sessions";
import type { AppEnv } from "../env";
import { hmacSha256Hex } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { sessionExpiresAt, sessionState, shouldTouch } from "./session-policy";

/** `__Host-`: the browser only keeps it when Secure, Path=/ and host-only (no sibling subdomain can set it). */
export const SESSION_COOKIE = "__Host-kairos_session";
/** The name before the prefix: no longer signs anyone in; a sign-in revokes and clears it. */
export const LEGACY_SESSION_COOKIE = "kairos_session";

const hashSessionId = (env: Env, id: string) => hmacSha256Hex(env.SESSION_SECRET, `session:${id}`);

/** Revokes whatever session cookies this browser brought (current and legacy name). */
async function revokePresentedSessions(c: Context<AppEnv>) {
  for (const name of [SESSION_COOKIE, LEGACY_SESSION_COOKIE]) {
    const id = getCookie(c, name);
    if (id) await revokeLoginSession(c.var.db, await hashSessionId(c.env, id));
  }
}

/**
 * Always a fresh id, and the session the browser arrived with is revoked first: an id planted in the
 * browser before sign-in (session fixation) never becomes a signed-in one.
 */
export async function startLoginSession(c: Context<AppEnv>, coachId: string) {
  await revokePresentedSessions(c);
  if (getCookie(c, LEGACY_SESSION_COOKIE)) deleteCookie(c, LEGACY_SESSION_COOKIE, { path: "/" });
  const id = randomToken(32);
  const now = Date.now();
  const expiresAt = sessionExpiresAt(now);
  await insertLoginSession(c.var.db, {
    idHash: await hashSessionId(c.env, id),
    coachId,
    expiresAt,
    createdAt: new Date(now),
  });
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
}

const clearSessionCookie = (c: Context<AppEnv>) =>
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });

export async function endLoginSession(c: Context<AppEnv>) {
  await revokePresentedSessions(c);
  clearSessionCookie(c);
}

/** "Sign out everywhere": every session of the signed-in coach, this browser's included. */
export async function endAllLoginSessions(c: Context<AppEnv>) {
  const revoked = await revokeAllLoginSessions(c.var.db, c.var.scope.coachId);
  clearSessionCookie(c);
  return revoked;
}

export const requireCoach = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const idHash = id ? await hashSessionId(c.env, id) : undefined;
    const session = idHash && (await findUnrevokedLoginSession(c.var.db, idHash));
    const now = Date.now();
    if (!idHash || !session || sessionState(session, now) !== "live") {
      throw new AppError("unauthenticated", "Please sign in to continue.");
    }
    if (shouldTouch(session, now)) await touchLoginSession(c.var.db, idHash, new Date(now));
    c.set("scope", { db: c.var.db, coachId: session.coachId });
    await next();
  });
