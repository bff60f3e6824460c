/**
 * Zoom OAuth (user-managed app, authorization code + PKCE S256, contract §1). Scopes are fixed on
 * the app, so none are sent. The token and revoke endpoints take HTTP Basic client auth and a form
 * body (Zoom refuses tokens in query strings). Never log the code, the verifier or any token.
 */
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { upstreamHttpError } from "../upstream/errors";
import type { UpstreamGate } from "../upstream/policy";
import { ZoomTokenResponse } from "./schemas";

export type ZoomOAuthConfig = {
  authBase: string;
  /** Where `/oauth/data/compliance` lives (api.zoom.us in production). */
  apiOrigin: string;
  clientId: string;
  clientSecret: string;
};

export const zoomOAuthConfig = (env: Env): ZoomOAuthConfig => ({
  authBase: env.ZOOM_AUTH_BASE,
  apiOrigin: env.ZOOM_API_BASE.replace(/\/v2\/?$/, ""),
  clientId: env.ZOOM_CLIENT_ID,
  clientSecret: env.ZOOM_CLIENT_SECRET,
});

export function zoomAuthorizeUrl(
  cfg: ZoomOAuthConfig,
  p: { redirectUri: string; state: string; challenge: string },
): string {
  const url = new URL(`${cfg.authBase}/oauth/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: cfg.clientId,
    redirect_uri: p.redirectUri,
    state: p.state,
    code_challenge: p.challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

/** Every OAuth call goes through an upstream gate (timeouts, breaker, 429 handling); none retries. */
type Sender = Pick<UpstreamGate, "send">;

const basic = (cfg: ZoomOAuthConfig) => `Basic ${btoa(`${cfg.clientId}:${cfg.clientSecret}`)}`;

const formPost = (cfg: ZoomOAuthConfig, url: string, form: Record<string, string>) =>
  new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: basic(cfg),
    },
    body: new URLSearchParams(form),
  });

export function exchangeZoomCode(
  cfg: ZoomOAuthConfig,
  p: { code: string; redirectUri: string; verifier: string },
  gate: Sender,
): Promise<ZoomTokenResponse> {
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

/** Rotating: only the newest refresh token works ("Invalid Token!" for older ones). Spend once. */
export function refreshZoomTokens(
  cfg: ZoomOAuthConfig,
  refreshToken: string,
  gate: Sender,
): Promise<ZoomTokenResponse> {
  return tokenRequest(cfg, { grant_type: "refresh_token", refresh_token: refreshToken }, gate);
}

async function tokenRequest(cfg: ZoomOAuthConfig, form: Record<string, string>, gate: Sender) {
  const res = await gate.send(formPost(cfg, `${cfg.authBase}/oauth/token`, form), {
    idempotent: false,
  });
  if (res.status === 400 || res.status === 401) {
    const oauthError = await deadGrantOrThrow(res);
    throw new AppError("unauthenticated", "Zoom did not accept the sign-in. Please try again.", {
      internal: { what: "zoom oauth/token", status: res.status, oauthError },
      details: { oauthError },
    });
  }
  if (!res.ok) throw upstreamHttpError("zoom", res.status, await res.text(), "oauth/token");
  const parsed = ZoomTokenResponse.safeParse(await res.json().catch(() => null));
  if (!parsed.success) {
    throw new AppError("upstream_error", "Zoom sent a token response Kairos could not read.");
  }
  return parsed.data;
}

/**
 * A 400/401 from the token endpoint. The dead-grant answers (contract §1.1) are `invalid_grant`,
 * `"Invalid Token!"` with any error, no error at all, and `unauthorized_client`: the coach must
 * reconnect. `invalid_client` and the other protocol errors are Kairos's own misconfiguration
 * (e.g. development credentials in production): an operator alert, never a reason to flag a coach.
 */
async function deadGrantOrThrow(res: Response): Promise<string> {
  const body = (await res
    .clone()
    .json()
    .catch(() => ({}))) as { error?: unknown; reason?: unknown };
  const error = typeof body.error === "string" ? body.error.slice(0, 64) : "";
  const invalidToken = typeof body.reason === "string" && /invalid token/i.test(body.reason);
  if (invalidToken || !error || error === "invalid_grant" || error === "unauthorized_client") {
    return error || "invalid_grant";
  }
  const internal = { what: "zoom oauth/token", status: res.status, oauthError: error };
  log.error("zoom.oauth_misconfigured", internal);
  throw new AppError(
    "misconfigured",
    "Kairos cannot reach Zoom because of a problem on our side; we have been alerted.",
    { internal, details: { upstream: "zoom", oauthError: error } },
  );
}

/** Revokes the grant (Zoom takes the access token). 200 `{"status":"success"}`. */
export async function revokeZoomToken(cfg: ZoomOAuthConfig, accessToken: string, gate: Sender) {
  const res = await gate.send(
    formPost(cfg, `${cfg.authBase}/oauth/revoke`, { token: accessToken }),
    {
      idempotent: true,
    },
  );
  if (!res.ok) throw upstreamHttpError("zoom", res.status, await res.text(), "oauth/revoke");
}

/**
 * The Marketplace's data-compliance confirmation after `app_deauthorized` (contract §4.6; whether
 * it is still required is unverified, so Kairos sends it): the event as received, and that the
 * user's data was handled.
 */
export async function reportDataCompliance(
  cfg: ZoomOAuthConfig,
  event: { user_id: string; account_id: string; payload: unknown },
  gate: Sender,
) {
  const res = await gate.send(
    new Request(`${cfg.apiOrigin}/oauth/data/compliance`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic(cfg) },
      body: JSON.stringify({
        client_id: cfg.clientId,
        user_id: event.user_id,
        account_id: event.account_id,
        deauthorization_event_received: event.payload,
        compliance_completed: true,
      }),
    }),
    { idempotent: true },
  );
  if (!res.ok)
    throw upstreamHttpError("zoom", res.status, await res.text(), "oauth/data/compliance");
}
