import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../../../worker/index";
import { challengeFor } from "../../helpers/sandbox-calendly";
import { recordingQueue } from "../../helpers/webhooks";

const ZOOM = "http://kairos.test/sandbox/zoom";
const REDIRECT = "http://kairos.test/oauth/zoom/callback";
const basic = `Basic ${btoa(`${env.ZOOM_CLIENT_ID}:${env.ZOOM_CLIENT_SECRET}`)}`;
const verifier = "zoom-verifier-".padEnd(43, "z");

async function code(email: string) {
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
const token = (form: Record<string, string>, auth = basic) =>
  exports.default.fetch(`${ZOOM}/oauth/token`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
async function tokensFor(email: string) {
  const res = await token({
    grant_type: "authorization_code",
    code: await code(email),
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  return (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
}
const api = (t: string, path: string, init: RequestInit = {}) =>
  exports.default.fetch(`${ZOOM}/v2${path}`, {
    ...init,
    headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
  });
const createMeeting = (t: string) =>
  api(t, "/users/me/meetings", {
    method: "POST",
    body: JSON.stringify({
      topic: "Coaching Session",
      type: 2,
      start_time: "2026-12-10T15:00:00Z",
      duration: 60,
      agenda: "kairos:ses_1",
      settings: { meeting_invitees: [{ email: "sam.rivera@client.test" }] },
    }),
  });

describe("sandbox Zoom OAuth", () => {
  it("requires Basic client auth and the PKCE verifier; codes are single use", async () => {
    const c = await code("dana@coach.test");
    const exchange = (cd: string, v = verifier, auth = basic) =>
      token(
        { grant_type: "authorization_code", code: cd, redirect_uri: REDIRECT, code_verifier: v },
        auth,
      );
    expect((await exchange(c, verifier, "Basic bm9wZTpub3Bl")).status).toBe(401);
    const ok = await exchange(c);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: "bearer", expires_in: 3599 });
    expect((await exchange(c)).status).toBe(400);
    // A PKCE mismatch is invalid_grant and spends the code: the right verifier comes too late.
    const other = await code("dana@coach.test");
    const mismatch = await exchange(other, "wrong".padEnd(43, "w"));
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ error: "invalid_grant" });
    expect((await exchange(other)).status).toBe(400);
  });

  it("rotates refresh tokens and rejects a superseded one with Invalid Token!", async () => {
    const t = await tokensFor("dana@coach.test");
    expect(
      (await token({ grant_type: "refresh_token", refresh_token: t.refresh_token })).status,
    ).toBe(200);
    const stale = await token({ grant_type: "refresh_token", refresh_token: t.refresh_token });
    expect(stale.status).toBe(400);
    expect(await stale.json()).toEqual({ reason: "Invalid Token!", error: "invalid_grant" });
  });

  it("revokes earlier grants when the same user authorizes again", async () => {
    const first = await tokensFor("lee@coach.test");
    await tokensFor("lee@coach.test");
    expect((await api(first.access_token, "/users/me")).status).toBe(401);
    expect(
      (await token({ grant_type: "refresh_token", refresh_token: first.refresh_token })).status,
    ).toBe(400);
  });
});

describe("sandbox Zoom meetings", () => {
  it("creates (201), reads (200), updates (204) and deletes (204) a meeting; then 404 code 3001", async () => {
    const t = await tokensFor("dana@coach.test");
    const created = await createMeeting(t.access_token);
    expect(created.status).toBe(201);
    const m = (await created.json()) as { id: number; join_url: string; start_url: string };
    expect(String(m.id)).toMatch(/^\d{11}$/);
    expect(m.join_url).toContain("?pwd=");
    expect((await api(t.access_token, `/meetings/${m.id}`)).status).toBe(200);
    expect(
      (
        await api(t.access_token, `/meetings/${m.id}`, {
          method: "PATCH",
          body: JSON.stringify({ duration: 45 }),
        })
      ).status,
    ).toBe(204);
    expect((await api(t.access_token, `/meetings/${m.id}`, { method: "DELETE" })).status).toBe(204);
    const gone = await api(t.access_token, `/meetings/${m.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ code: 3001, message: `Meeting does not exist: ${m.id}.` });
  });

  it("answers 401 code 124 for a bad token and 400 code 200 for a Basic host's past participants", async () => {
    const bad = await api("nope", "/users/me");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 124 });
    const lee = await tokensFor("lee@coach.test");
    const res = await api(
      lee.access_token,
      `/past_meetings/${encodeURIComponent("abc/=")}/participants`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 200 });
  });

  it("limits create+update to 100 per user per day (429)", async () => {
    const settings = (body: object) =>
      exports.default.fetch(`${ZOOM}/control/settings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await settings({ qpsLimit: 1000 }); // keep the per-second limit out of the way
    const t = await tokensFor("lee@coach.test");
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await createMeeting(t.access_token)).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    const limited = await createMeeting(t.access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-type")).toBe("Daily-limit");
    await settings({ qpsLimit: null });
  });
});

describe("sandbox Zoom webhooks", () => {
  it("passes Kairos's URL validation (encryptedToken is right)", async () => {
    const res = await exports.default.fetch(`${ZOOM}/webhooks/validate`, { method: "POST" });
    expect(await res.json()).toEqual({ status: 200, valid: true });
  });

  it("signs deliveries so Kairos accepts them, and Kairos rejects unsigned ones", async () => {
    const envelope = {
      event: "meeting.started",
      event_ts: Date.now(),
      payload: { account_id: "za_dana", object: { id: "1", uuid: "u1", host_id: "zu_dana_reyes" } },
    };
    const res = await exports.default.fetch(`${ZOOM}/webhooks/deliver`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(envelope),
    });
    expect(await res.json()).toEqual({ status: 204, body: "" });
    const unsigned = await exports.default.fetch("http://kairos.test/webhooks/zoom", {
      method: "POST",
      body: JSON.stringify(envelope),
    });
    expect(unsigned.status).toBe(401);
  });

  it("runs a 'client never came' scenario as Zoom's event sequence", async () => {
    const t = await tokensFor("dana@coach.test");
    const m = (await (await createMeeting(t.access_token)).json()) as { id: number };
    const res = await exports.default.fetch(`${ZOOM}/control/simulate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ meetingId: String(m.id), scenario: "client_no_show" }),
    });
    expect(await res.json()).toMatchObject({
      client: { name: "Sam Rivera", email: "sam.rivera@client.test" },
      sent: [
        "meeting.started",
        "meeting.participant_joined",
        "meeting.participant_left",
        "meeting.ended",
      ],
    });
    // Queue first: the webhook-events consumer stores them once they are accepted.
    const events = await vi.waitFor(
      async () => {
        const stored = await env.DB.prepare(
          "select event from webhook_events where provider = 'zoom' order by received_at",
        ).all<{ event: string }>();
        const names = stored.results.map((r) => r.event);
        expect(names).toEqual(
          expect.arrayContaining([
            "meeting.started",
            "meeting.participant_joined",
            "meeting.ended",
          ]),
        );
        return names;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(events.length).toBeGreaterThanOrEqual(3);
  });
});

describe("Kairos's Zoom intake (queue first)", () => {
  const signed = async (envelope: unknown, secret = env.ZOOM_WEBHOOK_SECRET_TOKEN) => {
    const body = JSON.stringify(envelope);
    const ts = Math.floor(Date.now() / 1000);
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`v0:${ts}:${body}`));
    const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
    return {
      body,
      headers: { "x-zm-request-timestamp": String(ts), "x-zm-signature": `v0=${hex}` },
    };
  };
  const ended = (uuid: string) => ({
    event: "meeting.ended",
    event_ts: 1_790_000_000_000,
    payload: { account_id: "za", object: { id: "9", uuid } },
  });
  const post = (bindings: Env, req: { body: string; headers: Record<string, string> }) =>
    worker.fetch(
      new Request("http://kairos.test/webhooks/zoom", {
        method: "POST",
        body: req.body,
        headers: { "content-type": "application/json", ...req.headers },
      }),
      bindings,
      createExecutionContext(),
    );

  it("answers 503 when the queue refuses and stores nothing; a retry is stored once", async () => {
    const { queue } = recordingQueue({ fail: true });
    const refused = await post({ ...env, WEBHOOK_EVENTS: queue }, await signed(ended("z-503")));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    const none = await env.DB.prepare(
      "select count(*) as n from webhook_events where dedupe_key like 'zoom|meeting.ended|z-503|%'",
    ).first<{ n: number }>();
    expect(none?.n).toBe(0);
    const accepted = await post(env, await signed(ended("z-503")));
    expect(accepted.status).toBe(204);
    const again = await post(env, await signed(ended("z-503")));
    expect(again.status).toBe(204);
    await vi.waitFor(
      async () => {
        const rows = await env.DB.prepare(
          "select status from webhook_events where dedupe_key like 'zoom|meeting.ended|z-503|%'",
        ).all();
        expect(rows.results).toEqual([{ status: "processed" }]);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it("enqueues the verified body and answers the URL validation itself", async () => {
    const { queue, sent } = recordingQueue();
    const bindings = { ...env, WEBHOOK_EVENTS: queue };
    const req = await signed(ended("z-bytes"));
    expect((await post(bindings, req)).status).toBe(204);
    expect(sent).toEqual([
      {
        provider: "zoom",
        body: new TextEncoder().encode(req.body),
        receivedAt: expect.any(Number),
      },
    ]);
    const validation = await post(
      bindings,
      await signed({
        event: "endpoint.url_validation",
        event_ts: Date.now(),
        payload: { plainToken: "plain-1" },
      }),
    );
    expect(validation.status).toBe(200);
    expect(await validation.json()).toMatchObject({ plainToken: "plain-1" });
    expect(sent).toHaveLength(1);
    expect((await post(bindings, await signed(ended("z-bad"), "wrong-secret"))).status).toBe(401);
    expect(sent).toHaveLength(1);
  });
});
