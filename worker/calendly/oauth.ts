/**
 * Calendly OAuth (authorization code + PKCE S256). The token endpoint takes a form body and HTTP
 * Basic client auth; we never log the code, the verifier or any token.
 */
import { z } from "zod";
import { sha256Base64Url } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { log } from "../lib/log";
import { upstreamHttpError } from "../upstream/errors";
import type { UpstreamGate } from "../upstream/policy";
import { TokenResponse } from "./schemas";
import { CALENDLY_SCOPES } from "./scopes";

export { CALENDLY_SCOPES };

export type OAuthConfig = { authBase: string; clientId: string; clientSecret: string };

export async function newPkcePair() {
  const verifier = randomToken(32);
  return { verifier, challenge: await sha256Base64Url(verifier) };
}

export function authorizeUrl(
  cfg: OAuthConfig,
  p: { redirectUri: string; state: string; challenge: string },
): string {
  const url = new URL(`${cfg.authBase}/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: cfg.clientId,
    response_type: "code",
    redirect_uri: p.redirectUri,
    scope: CALENDLY_SCOPES,
    code_challenge: p.challenge,
    code_challenge_method: "S256",
    state: p.state,
  }).toString();
  return url.toString();
}

/** Every OAuth call goes through an upstream gate (timeouts, breaker, 429 handling); none retries. */
type Sender = Pick<UpstreamGate, "send">;

export function exchangeCode(
  cfg: OAuthConfig,
  p: { code: string; redirectUri: string; verifier: string },
  gate: Sender,
): Promise<TokenResponse> {
  return tokenRequest(
    cfg,
    {
      grant_type: "authorization_code",
      code: p.code,
      redirect_uri: p.redirectUri,
      code_verifier: p.verifier,
    },
    gate,
  );
}

/** Rotating: the presented refresh token dies the moment Calendly answers. Never resend it. */
export function refreshTokens(
  cfg: OAuthConfig,
  refreshToken: string,
  gate: Sender,
): Promise<TokenResponse> {
  return tokenRequest(cfg, { grant_type: "refresh_token", refresh_token: refreshToken }, gate);
}

const formPost = (
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  new Request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });

async function tokenRequest(cfg: OAuthConfig, form: Record<string, string>, gate: Sender) {
  const res = await gate.send(
    formPost(`${cfg.authBase}/oauth/token`, form, {
      authorization: `Basic ${btoa(`${cfg.clientId}:${cfg.clientSecret}`)}`,
    }),
    { idempotent: false },
  );
  if (res.status === 400 || res.status === 401) {
    const oauthError = await rejectedBecause(res, "oauth/token");
    throw new AppError(
      "unauthenticated",
      "Calendly did not accept the sign-in. Please try again.",
      {
        internal: { what: "oauth/token", status: res.status, oauthError },
        details: { oauthError },
      },
    );
  }
  if (!res.ok) throw upstreamHttpError("calendly", res.status, await res.text(), "oauth/token");
  const parsed = TokenResponse.safeParse(await res.json());
  if (!parsed.success) {
    throw new AppError("upstream_error", "Calendly sent a token response Kairos could not read.");
  }
  return parsed.data;
}

/**
 * The OAuth `error` of a 400/401. Only `invalid_grant` (or no code at all) says the coach's grant is
 * dead, which reconnecting fixes. Anything else (`invalid_client`: a wrong client id or secret) is
 * Kairos's own misconfiguration: an operator alert, and never a reason to flag a coach.
 */
async function rejectedBecause(res: Response, what: string): Promise<"invalid_grant"> {
  const body = (await res
    .clone()
    .json()
    .catch(() => ({}))) as { error?: unknown };
  const oauthError = typeof body.error === "string" ? body.error.slice(0, 64) : "invalid_grant";
  if (oauthError === "invalid_grant") return oauthError;
  const internal = { what, status: res.status, oauthError };
  log.error("calendly.oauth_misconfigured", internal);
  throw new AppError(
    "misconfigured",
    "Kairos cannot reach Calendly because of a problem on our side; we have been alerted.",
    { internal, details: { upstream: "calendly", oauthError } },
  );
}

const Introspection = z.looseObject({ active: z.boolean() });

/** Whether Calendly still considers a token alive (used when a 401 puts it in doubt). */
export async function isTokenActive(cfg: OAuthConfig, token: string, gate: Sender) {
  const res = await gate.send(
    formPost(`${cfg.authBase}/oauth/introspect`, {
      client_id: cfg.clientId,
      client_secret: cfg.clientSecret,
      token,
    }),
    { idempotent: true },
  );
  if (res.status === 400 || res.status === 401) await rejectedBecause(res, "oauth/introspect");
  if (!res.ok)
    throw upstreamHttpError("calendly", res.status, await res.text(), "oauth/introspect");
  const parsed = Introspection.safeParse(await res.json().catch(() => null));
  return parsed.success && parsed.data.active;
}

/** Revokes a token (and with a refresh token, the whole grant). Idempotent at Calendly. */
export async function revokeToken(cfg: OAuthConfig, token: string, gate: Sender) {
  const res = await gate.send(
    formPost(`${cfg.authBase}/oauth/revoke`, {
      client_id: cfg.clientId,
      client_secret: cfg.clientSecret,
      token,
    }),
    { idempotent: true },
  );
  if (!res.ok) throw upstreamHttpError("calendly", res.status, await res.text(), "oauth/revoke");
}

export const calendlyOAuthConfig = (env: Env): OAuthConfig => ({
  authBase: env.CALENDLY_AUTH_BASE,
  clientId: env.CALENDLY_CLIENT_ID,
  clientSecret: env.CALENDLY_CLIENT_SECRET,
});
