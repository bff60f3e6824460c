/**
 * "Connect Zoom" for a signed-in coach: /oauth/zoom/start → Zoom authorize (PKCE S256, state bound
 * to the coach in a short-lived signed HttpOnly cookie) → /oauth/zoom/callback → code exchanged,
 * `users/me` read, tokens sealed, host id + account id + plan stored → Settings. Any failure stores
 * nothing and returns the coach to Settings with `?zoom=<reason>`. Reconnecting (same coach) keeps
 * every meeting and session; the same Zoom user connected by another coach ends that coach's
 * connection, since Zoom keeps only the newest grant of a user.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { z } from "zod";
import { requireCoach } from "../auth/login-session";
import { sealTokens } from "../auth/token-vault";
import { newPkcePair } from "../calendly/oauth";
import { audit } from "../db/audit";
import { saveConnection } from "../db/connections";
import { coachGuard } from "../durable-objects/coach-guard";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { log } from "../lib/log";
import { directTransport, oneOffGate } from "../upstream/transport";
import { createZoomClient } from "../zoom/client";
import { otherHoldersOfZoomUser, saveZoomAccount } from "../zoom/connection-store";
import { resumeZoomMeetings } from "../zoom/meetings/actions";
import { exchangeZoomCode, zoomAuthorizeUrl, zoomOAuthConfig } from "../zoom/oauth";
import { zoomPlanOf } from "../zoom/schemas";

const STATE_COOKIE = "kairos_oauth_zoom";
const STATE_MAX_AGE_S = 600;
const cookiePath = "/oauth/zoom";

const PendingAuth = z.object({ state: z.string(), verifier: z.string(), coachId: z.string() });
const Callback = z.union([
  z.object({ code: z.string().min(1), state: z.string().min(1) }),
  z.object({ error: z.string().min(1), state: z.string().optional() }),
]);

const redirectUri = (env: Env) => `${env.APP_URL}/oauth/zoom/callback`;
const backToSettings = (outcome: string) => `/settings?zoom=${encodeURIComponent(outcome)}`;

/** The signed-in coach, or null (a browser navigation gets a redirect, not a JSON 401). */
async function signedInCoach(c: Context<AppEnv>): Promise<string | null> {
  try {
    await requireCoach()(c, async () => {});
    return c.var.scope.coachId;
  } catch (err) {
    if (err instanceof AppError && err.code === "unauthenticated") return null;
    throw err;
  }
}

export const zoomOAuthRoutes = new Hono<AppEnv>()
  .get("/start", async (c) => {
    const coachId = await signedInCoach(c);
    if (!coachId) return c.redirect("/signin", 302);
    const state = randomToken(24);
    const { verifier, challenge } = await newPkcePair();
    await setSignedCookie(
      c,
      STATE_COOKIE,
      JSON.stringify({ state, verifier, coachId }),
      c.env.SESSION_SECRET,
      { httpOnly: true, secure: true, sameSite: "Lax", path: cookiePath, maxAge: STATE_MAX_AGE_S },
    );
    const url = zoomAuthorizeUrl(zoomOAuthConfig(c.env), {
      redirectUri: redirectUri(c.env),
      state,
      challenge,
    });
    return c.redirect(url, 302);
  })
  .get("/callback", async (c) => {
    const raw = await getSignedCookie(c, c.env.SESSION_SECRET, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: cookiePath, secure: true });
    const coachId = await signedInCoach(c);
    if (!coachId) return c.redirect("/signin", 302);
    const pending = PendingAuth.safeParse(raw ? JSON.parse(raw) : null);
    const query = Callback.safeParse(c.req.query());
    if (!query.success) return c.redirect(backToSettings("invalid_callback"), 302);
    // The flow must be this browser's and this coach's: a code started by another session never
    // lands on this account.
    if (
      !pending.success ||
      pending.data.state !== query.data.state ||
      pending.data.coachId !== coachId
    ) {
      log.warn("oauth.state_mismatch", {
        requestId: c.var.requestId,
        provider: "zoom",
        hasCookie: Boolean(raw),
      });
      return c.redirect(backToSettings("state_mismatch"), 302);
    }
    if ("error" in query.data) {
      const denied = query.data.error === "access_denied";
      return c.redirect(backToSettings(denied ? "access_denied" : "zoom_error"), 302);
    }

    const tokens = await exchangeZoomCode(
      zoomOAuthConfig(c.env),
      { code: query.data.code, redirectUri: redirectUri(c.env), verifier: pending.data.verifier },
      oneOffGate("zoom"),
    ).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "unauthenticated") return null;
      // Kairos's own credentials were refused (already an operator alert): not the coach's code.
      if (err instanceof AppError && err.code === "misconfigured") return undefined;
      throw err;
    });
    if (tokens === undefined) return c.redirect(backToSettings("zoom_error"), 302);
    if (!tokens) return c.redirect(backToSettings("code_rejected"), 302);

    const zoom = createZoomClient(
      directTransport("zoom", c.env.ZOOM_API_BASE, tokens.access_token),
    );
    const user = await zoom.me().catch((err: unknown) => {
      log.warn("oauth.users_me_failed", { requestId: c.var.requestId, provider: "zoom", err });
      return null;
    });
    if (!user) return c.redirect(backToSettings("zoom_error"), 302);

    const scope = { db: c.var.db, coachId };
    await saveConnection(
      scope,
      "zoom",
      user.id,
      await sealTokens(c.env.ENCRYPTION_KEYS, coachId, "zoom", tokens),
    );
    await saveZoomAccount(scope, { accountId: user.account_id, planType: zoomPlanOf(user.type) });
    // Meetings that failed for want of a grant (no retry of their own) are synced again now, as
    // queued jobs so the callback stays fast; the connection stands even if this enqueue fails.
    await resumeZoomMeetings(c.env, scope).catch((err: unknown) => {
      log.warn("zoom.resume_meetings_failed", { requestId: c.var.requestId, coachId, err });
    });
    // Zoom just revoked every earlier grant of this user: a connection elsewhere is dead now.
    for (const other of await otherHoldersOfZoomUser(c.var.db, user.id, coachId)) {
      await coachGuard(c.env, other).zoomGrantEnded(other, "superseded");
    }
    await audit(c.var.db, {
      coachId,
      actor: "coach",
      action: "connection.connected",
      subject: "zoom",
      detail: { planType: zoomPlanOf(user.type) },
    });
    log.info("oauth.connected", { requestId: c.var.requestId, coachId, provider: "zoom" });
    return c.redirect(backToSettings("connected"), 302);
  });
