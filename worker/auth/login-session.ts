/**
 * Login sessions: an opaque random cookie (HttpOnly, Secure, SameSite=Lax) whose HMAC is the D1 key.
 * `requireCoach()` guards every private /api route and puts the caller's CoachScope on the context.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { findLiveLoginSession, insertLoginSession, revokeLoginSession } from "../db/login-sessions";
import type { AppEnv } from "../env";
import { hmacSha256Hex } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";

export const SESSION_COOKIE = "kairos_session";
const SESSION_DAYS = 30;

const hashSessionId = (env: Env, id: string) => hmacSha256Hex(env.SESSION_SECRET, `session:${id}`);

export async function startLoginSession(c: Context<AppEnv>, coachId: string) {
  const id = randomToken(32);
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await insertLoginSession(c.var.db, {
    idHash: await hashSessionId(c.env, id),
    coachId,
    expiresAt,
  });
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
}

export async function endLoginSession(c: Context<AppEnv>) {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await revokeLoginSession(c.var.db, await hashSessionId(c.env, id));
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}

export const requireCoach = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id && (await findLiveLoginSession(c.var.db, await hashSessionId(c.env, id)));
    if (!session) throw new AppError("unauthenticated", "Please sign in to continue.");
    c.set("scope", { db: c.var.db, coachId: session.coachId });
    await next();
  });
