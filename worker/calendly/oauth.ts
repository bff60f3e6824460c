/**
 * Calendly OAuth (authorization code + PKCE S256). The token endpoint takes a form body and HTTP
 * Basic client auth; we never log the code, the verifier or any token.
 */

import { sha256Base64Url } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { calendlyError, UPSTREAM_TIMEOUT_MS } from "./http";
import { TokenResponse } from "./schemas";

export const CALENDLY_SCOPES = [
  "users:read",
  "event_types:read",
  "event_types:write",
  "availability:read",
  "availability:write",
  "scheduled_events:read",
  "scheduled_events:write",
  "webhooks:read",
  "webhooks:write",
].join(" ");

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

export function exchangeCode(
  cfg: OAuthConfig,
  p: { code: string; redirectUri: string; verifier: string },
): Promise<TokenResponse> {
  return tokenRequest(cfg, {
    grant_type: "authorization_code",
    code: p.code,
    redirect_uri: p.redirectUri,
    code_verifier: p.verifier,
  });
}

export function refreshTokens(cfg: OAuthConfig, refreshToken: string): Promise<TokenResponse> {
  return tokenRequest(cfg, { grant_type: "refresh_token", refresh_token: refreshToken });
}

async function tokenRequest(cfg: OAuthConfig, form: Record<string, string>) {
  const res = await fetch(`${cfg.authBase}/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${cfg.clientId}:${cfg.clientSecret}`)}`,
    },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  }).catch((err) => {
    throw new AppError("upstream_unavailable", "Calendly is not responding right now.", {
      internal: { what: "oauth/token", err: String(err) },
    });
  });
  if (res.status === 400 || res.status === 401) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new AppError(
      "unauthenticated",
      "Calendly did not accept the sign-in. Please try again.",
      {
        internal: { what: "oauth/token", status: res.status, error: body.error },
        details: { oauthError: body.error ?? "invalid_grant" },
      },
    );
  }
  if (!res.ok) throw await calendlyError(res, "oauth/token");
  const parsed = TokenResponse.safeParse(await res.json());
  if (!parsed.success) {
    throw new AppError("upstream_error", "Calendly sent a token response Kairos could not read.");
  }
  return parsed.data;
}
