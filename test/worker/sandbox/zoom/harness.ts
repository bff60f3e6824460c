/** Shared steps of the fake Zoom's own tests: a token for a seeded host, API calls, controls. */
import { env, exports } from "cloudflare:workers";
import { challengeFor } from "../../helpers/sandbox-calendly";

export const ZOOM = "http://kairos.test/sandbox/zoom";
export const REDIRECT = "http://kairos.test/oauth/zoom/callback";
export const basic = `Basic ${btoa(`${env.ZOOM_CLIENT_ID}:${env.ZOOM_CLIENT_SECRET}`)}`;
export const verifier = "zoom-verifier-".padEnd(43, "z");

export async function authCode(email: string) {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: env.ZOOM_CLIENT_ID,
    redirect_uri: REDIRECT,
    state: "s",
    code_challenge: await challengeFor(verifier),
    code_challenge_method: "S256",
    sandbox_user: email,
  });
  const res = await exports.default.fetch(`${ZOOM}/oauth/authorize?${q}`, { redirect: "manual" });
  return new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
}
export const tokenCall = (form: Record<string, string>, auth = basic) =>
  exports.default.fetch(`${ZOOM}/oauth/token`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
export async function tokensFor(email: string) {
  const res = await tokenCall({
    grant_type: "authorization_code",
    code: await authCode(email),
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  return (await res.json()) as { access_token: string; refresh_token: string };
}
export const api = (t: string, path: string, init: RequestInit = {}) =>
  exports.default.fetch(`${ZOOM}/v2${path}`, {
    ...init,
    headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
  });
export const control = async (path: string, body?: unknown) => {
  const res = await exports.default.fetch(`${ZOOM}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & any };
};

export type Created = { id: number; uuid: string; join_url: string; start_time: string };
export async function createMeeting(t: string, extra: Record<string, unknown> = {}) {
  const res = await api(t, "/users/me/meetings", {
    method: "POST",
    body: JSON.stringify({
      topic: "Coaching Session",
      type: 2,
      start_time: "2026-12-10T15:00:00Z",
      duration: 60,
      timezone: "America/New_York",
      agenda: "kairos:bkg_1",
      ...extra,
      settings: {
        meeting_invitees: [{ email: "sam.rivera@client.test" }],
        ...((extra.settings as object | undefined) ?? {}),
      },
    }),
  });
  return { status: res.status, meeting: (await res.json()) as Created };
}

type Delivered = { event: string; status: string; body: any };
/** What the fake recorded as sent (or lost) since `since`, oldest first. */
export async function deliveriesSince(since: number): Promise<Delivered[]> {
  const rows = await env.DB.prepare(
    "select event, status, body from sandbox_zoom_deliveries where created_at >= ? order by created_at, rowid",
  )
    .bind(since)
    .all<{ event: string; status: string; body: string }>();
  return rows.results.map((r) => ({ ...r, body: JSON.parse(r.body) }));
}
