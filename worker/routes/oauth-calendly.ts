/**
 * "Sign in with Calendly": /oauth/calendly/start → Calendly authorize (PKCE S256, state bound to a
 * short-lived signed HttpOnly cookie) → /oauth/calendly/callback → tokens sealed, coach upserted,
 * session cookie → dashboard. Any failure stores nothing and returns the coach to /signin with a code.
 * A grant that lacks scopes Kairos needs (the coach unticked a permission) is never silent: without
 * `users:read` there is no profile to sign in with (/signin?error=missing_scopes); otherwise the
 * coach signs in with the connection `needs_reconnect`, its reason naming what is missing, and no
 * sync or webhook work starts until a reconnect grants everything.
 */
import { Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { z } from "zod";
import { startLoginSession } from "../auth/login-session";
import { sealTokens } from "../auth/token-vault";
import { startSync } from "../bookings/start-sync";
import { createCalendlyClient } from "../calendly/client";
import { authorizeUrl, calendlyOAuthConfig, exchangeCode, newPkcePair } from "../calendly/oauth";
import { missingCalendlyScopes } from "../connections/calendly-scopes";
import { flagMissingScopes } from "../connections/flag-missing-scopes";
import { audit } from "../db/audit";
import { upsertCoachFromCalendly } from "../db/coaches";
import { saveConnection } from "../db/connections";
import { hasCompletedImport } from "../db/sync-runs";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { log } from "../lib/log";
import { enqueueJob } from "../queues/job";
import { directTransport, oneOffGate } from "../upstream/transport";

const STATE_COOKIE = "kairos_oauth_calendly";
const STATE_MAX_AGE_S = 600;
const cookiePath = "/oauth/calendly";

const PendingAuth = z.object({ state: z.string(), verifier: z.string() });
const Callback = z.union([
  z.object({ code: z.string().min(1), state: z.string().min(1) }),
  z.object({ error: z.string().min(1), state: z.string().optional() }),
]);

const redirectUri = (env: Env) => `${env.APP_URL}/oauth/calendly/callback`;
const backToSignIn = (reason: string) => `/signin?error=${encodeURIComponent(reason)}`;

export const calendlyOAuthRoutes = new Hono<AppEnv>()
  .get("/start", async (c) => {
    const state = randomToken(24);
    const { verifier, challenge } = await newPkcePair();
    await setSignedCookie(
      c,
      STATE_COOKIE,
      JSON.stringify({ state, verifier }),
      c.env.SESSION_SECRET,
      {
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
        path: cookiePath,
        maxAge: STATE_MAX_AGE_S,
      },
    );
    return c.redirect(
      authorizeUrl(calendlyOAuthConfig(c.env), {
        redirectUri: redirectUri(c.env),
        state,
        challenge,
      }),
      302,
    );
  })
  .get("/callback", async (c) => {
    const raw = await getSignedCookie(c, c.env.SESSION_SECRET, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: cookiePath, secure: true });
    const pending = PendingAuth.safeParse(raw ? JSON.parse(raw) : null);
    const query = Callback.safeParse(c.req.query());
    if (!query.success) return c.redirect(backToSignIn("invalid_callback"), 302);
    if (!pending.success || pending.data.state !== query.data.state) {
      log.warn("oauth.state_mismatch", { requestId: c.var.requestId, hasCookie: Boolean(raw) });
      return c.redirect(backToSignIn("state_mismatch"), 302);
    }
    if ("error" in query.data) {
      return c.redirect(
        backToSignIn(query.data.error === "access_denied" ? "access_denied" : "calendly_error"),
        302,
      );
    }

    const tokens = await exchangeCode(
      calendlyOAuthConfig(c.env),
      { code: query.data.code, redirectUri: redirectUri(c.env), verifier: pending.data.verifier },
      oneOffGate("calendly"),
    ).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "unauthenticated") return null;
      // Kairos's own credentials were refused (already an operator alert): not the coach's code.
      if (err instanceof AppError && err.code === "misconfigured") return undefined;
      throw err;
    });
    if (tokens === undefined) return c.redirect(backToSignIn("calendly_error"), 302);
    if (!tokens) return c.redirect(backToSignIn("code_rejected"), 302);
    const missing = missingCalendlyScopes(tokens.scope);
    if (missing.length) {
      log.warn("oauth.missing_scopes", { requestId: c.var.requestId, missing });
      if (missing.includes("users:read")) return c.redirect(backToSignIn("missing_scopes"), 302);
    }

    const calendly = createCalendlyClient(
      directTransport("calendly", c.env.CALENDLY_API_BASE, tokens.access_token),
    );
    const user = await calendly.me().catch((err: unknown) => {
      log.warn("oauth.users_me_failed", { requestId: c.var.requestId, err });
      return null;
    });
    if (!user) return c.redirect(backToSignIn("calendly_error"), 302);
    const coach = await upsertCoachFromCalendly(c.var.db, user);
    const scope = { db: c.var.db, coachId: coach.id };
    await saveConnection(
      scope,
      "calendly",
      user.uri,
      await sealTokens(c.env.ENCRYPTION_KEYS, coach.id, "calendly", tokens),
    );
    if (missing.length) await flagMissingScopes(scope, missing);
    await startLoginSession(c, coach.id);
    if (!missing.length) {
      await enqueueJob(c.env, { type: "calendly.ensure_subscription", coachId: coach.id });
      // First connection imports 90 days back / a year ahead; a returning coach gets a normal sync.
      await startSync(c.env, scope, (await hasCompletedImport(scope)) ? "manual" : "import");
    }
    await audit(c.var.db, {
      coachId: coach.id,
      actor: "coach",
      action: "coach.signed_in",
      subject: "calendly",
    });
    log.info("oauth.connected", {
      requestId: c.var.requestId,
      coachId: coach.id,
      provider: "calendly",
      missingScopes: missing.length,
    });
    return c.redirect("/", 302);
  });
