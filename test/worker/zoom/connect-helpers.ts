/**
 * Drives "Connect Zoom" through the worker against the fake Zoom: a coach signs in with the sandbox
 * Calendly, then /oauth/zoom/start → sandbox authorize (`sandbox_user`) → /oauth/zoom/callback.
 */
import { env, exports } from "cloudflare:workers";
import { zoomSignatureHeaders } from "../../../worker/sandbox/zoom/store";
import type { CookieJar } from "../helpers/cookies";
import { sandboxSignIn } from "../helpers/sandbox-sign-in";
import { api, ORIGIN } from "../helpers/sign-in";

export const ZOOM = `${ORIGIN}/sandbox/zoom`;

export async function coachIdOf(jar: CookieJar) {
  return ((await (await api(jar, "/api/me")).json()) as { id: string }).id;
}

export async function startZoom(jar: CookieJar) {
  const res = await api(jar, "/oauth/zoom/start", { redirect: "manual" });
  jar.store(res);
  return { res, authorize: new URL(res.headers.get("location") ?? "", ORIGIN) };
}

/** Approves at the fake Zoom as `zoomUser` and follows the redirect back to the callback. */
export async function approveZoom(jar: CookieJar, authorize: URL, zoomUser: string) {
  authorize.searchParams.set("sandbox_user", zoomUser);
  const approved = await exports.default.fetch(authorize.toString(), { redirect: "manual" });
  if (approved.status !== 302) throw new Error(`authorize answered ${approved.status}`);
  const back = new URL(approved.headers.get("location") ?? "");
  const res = await api(jar, `${back.pathname}${back.search}`, { redirect: "manual" });
  jar.store(res);
  return res;
}

/** A coach signed in with Calendly as `calendlyUser` who connected Zoom as `zoomUser`. */
export async function connectZoom(calendlyUser: string, zoomUser = calendlyUser) {
  const { jar } = await sandboxSignIn(calendlyUser);
  const { authorize } = await startZoom(jar);
  const res = await approveZoom(jar, authorize, zoomUser);
  return { jar, res, coachId: await coachIdOf(jar) };
}

export type ZoomRow = {
  id: string;
  status: string;
  external_user_id: string;
  external_account_id: string | null;
  plan_type: string | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  last_error: string | null;
};
export const zoomRowOf = (coachId: string) =>
  env.DB.prepare(
    "select id, status, external_user_id, external_account_id, plan_type, access_token_enc, refresh_token_enc, last_error from provider_connections where coach_id = ? and provider = 'zoom'",
  )
    .bind(coachId)
    .first<ZoomRow>();

/** Makes the stored access token look expired, so the next call refreshes first. */
export const expireStoredAccess = (coachId: string) =>
  env.DB.prepare(
    "update provider_connections set access_expires_at = ? where coach_id = ? and provider = 'zoom'",
  )
    .bind(Date.now() - 1000, coachId)
    .run();

/** Refresh tokens the fake Zoom has issued to a user (one per code exchange or refresh). */
export async function refreshTokensIssued(zoomUserId: string) {
  const row = await env.DB.prepare(
    "select count(*) as n from sandbox_zoom_tokens where user_id = ? and kind = 'refresh'",
  )
    .bind(zoomUserId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function zoomControl(path: string, body: unknown) {
  const res = await exports.default.fetch(`${ZOOM}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** POSTs a Zoom webhook signed with the Secret Token, as Zoom does. */
export async function deliverZoom(envelope: unknown) {
  const raw = JSON.stringify(envelope);
  return exports.default.fetch(`${ORIGIN}/webhooks/zoom`, {
    method: "POST",
    body: raw,
    headers: await zoomSignatureHeaders(env.ZOOM_WEBHOOK_SECRET_TOKEN, raw),
  });
}
