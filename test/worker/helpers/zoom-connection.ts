/**
 * Connects a signed-in coach to the sandbox Zoom the way the OAuth callback ends: a real code from
 * the fake's authorize (`sandbox_user`), a real token exchange, tokens sealed with the token vault
 * and stored as the coach's `zoom` connection. Plus small readers of the fake's state.
 */
import { env, exports } from "cloudflare:workers";
import { sealTokens } from "../../../worker/auth/token-vault";
import { createDb } from "../../../worker/db/client";
import { saveConnection } from "../../../worker/db/connections";
import { challengeFor } from "./sandbox-calendly";

export const ZOOM = "http://kairos.test/sandbox/zoom";
const REDIRECT = "http://kairos.test/oauth/zoom/callback";
const verifier = "zoom-connection-verifier-".padEnd(43, "k");

export async function connectZoom(coachId: string, email: string) {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: env.ZOOM_CLIENT_ID,
    redirect_uri: REDIRECT,
    state: "s",
    code_challenge: await challengeFor(verifier),
    code_challenge_method: "S256",
    sandbox_user: email,
  });
  const approved = await exports.default.fetch(`${ZOOM}/oauth/authorize?${q}`, {
    redirect: "manual",
  });
  const code = new URL(approved.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const res = await exports.default.fetch(`${ZOOM}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${env.ZOOM_CLIENT_ID}:${env.ZOOM_CLIENT_SECRET}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }),
  });
  if (res.status !== 200) throw new Error(`zoom token exchange: ${res.status}`);
  const tokens = (await res.json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    scope: string;
  };
  const scope = { db: createDb(env.DB), coachId };
  const sealed = await sealTokens(env.ENCRYPTION_KEYS, coachId, "zoom", tokens);
  const user = await env.DB.prepare("select id from sandbox_zoom_users where email = ?")
    .bind(email)
    .first<{ id: string }>();
  await saveConnection(scope, "zoom", user?.id ?? email, sealed);
}

export type FakeMeeting = {
  id: string;
  topic: string;
  startTime: string;
  duration: number;
  agenda: string;
  invitees: string[];
  settings: Record<string, unknown>;
};

/** Every meeting the fake holds (deleted ones included, with their status). */
export async function fakeMeetings(): Promise<(FakeMeeting & { status: string })[]> {
  const rows = await env.DB.prepare(
    "select id, topic, start_time, duration, agenda, status, settings from sandbox_zoom_meetings order by created_at",
  ).all<{
    id: string;
    topic: string;
    start_time: number;
    duration: number;
    agenda: string;
    status: string;
    settings: string;
  }>();
  return rows.results.map((r) => {
    const settings = JSON.parse(r.settings) as { meeting_invitees?: { email: string }[] };
    return {
      id: r.id,
      topic: r.topic,
      startTime: new Date(r.start_time).toISOString(),
      duration: r.duration,
      agenda: r.agenda,
      status: r.status,
      invitees: (settings.meeting_invitees ?? []).map((i) => i.email),
      settings,
    };
  });
}

export const zoomControl = async (path: string, body?: unknown) => {
  const res = await exports.default.fetch(`${ZOOM}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
