/** Direct access to the sandbox Calendly for its own tests: tokens, API calls, PKCE. */
import { exports } from "cloudflare:workers";
import { CALENDLY_SCOPES } from "../../../worker/calendly/oauth";

export const CALENDLY = "http://kairos.test/sandbox/calendly";
export const CLIENT = { id: "kairos-sandbox-client", secret: "kairos-sandbox-client-secret" };
export const REDIRECT = "http://kairos.test/oauth/calendly/callback";

export const basic = `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`;

export async function challengeFor(verifier: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Asks for Kairos's own scopes unless told otherwise ("" asks for none). */
export async function authorizeCode(
  email: string,
  verifier = "v".repeat(43),
  scope: string = CALENDLY_SCOPES,
) {
  const url = new URL(`${CALENDLY}/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: CLIENT.id,
    response_type: "code",
    redirect_uri: REDIRECT,
    code_challenge: await challengeFor(verifier),
    code_challenge_method: "S256",
    state: "s1",
    scope,
    sandbox_user: email,
  }).toString();
  const res = await exports.default.fetch(url.toString(), { redirect: "manual" });
  return new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
}

export const tokenRequest = (
  form: Record<string, string>,
  headers: Record<string, string> = { authorization: basic },
) =>
  exports.default.fetch(`${CALENDLY}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });

export async function tokensFor(email: string, scope: string = CALENDLY_SCOPES) {
  const verifier = `verifier-${email}-${"x".repeat(30)}`;
  const code = await authorizeCode(email, verifier, scope);
  const res = await tokenRequest({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  return (await res.json()) as {
    access_token: string;
    refresh_token: string;
    owner: string;
    organization: string;
    scope: string;
  };
}

export const call = (token: string, path: string, init: RequestInit = {}) =>
  exports.default.fetch(`${CALENDLY}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(init.headers as Record<string, string>),
    },
  });
