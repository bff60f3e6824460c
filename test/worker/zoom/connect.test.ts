/** Connect Zoom end to end against the fake Zoom: start → authorize → callback → stored, usable. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { zoomFor } from "../../../worker/zoom/client";
import { CookieJar } from "../helpers/cookies";
import { sandboxSignIn } from "../helpers/sandbox-sign-in";
import { api, ORIGIN } from "../helpers/sign-in";
import { approveZoom, coachIdOf, connectZoom, startZoom, zoomRowOf } from "./connect-helpers";

type Connections = { items: { provider: string; status: string; plan: string | null }[] };

describe("GET /oauth/zoom/start", () => {
  it("sends a coach who is not signed in to sign in first", async () => {
    const res = await exports.default.fetch(`${ORIGIN}/oauth/zoom/start`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/signin");
  });

  it("redirects to Zoom's authorize page with PKCE S256 and a state bound to a cookie", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const { res, authorize } = await startZoom(jar);
    expect(res.status).toBe(302);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${env.ZOOM_AUTH_BASE}/oauth/authorize`,
    );
    const q = authorize.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(env.ZOOM_CLIENT_ID);
    expect(q.get("redirect_uri")).toBe(`${env.APP_URL}/oauth/zoom/callback`);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")?.length).toBeGreaterThan(20);
    expect(q.has("scope")).toBe(false); // Zoom's scopes are fixed on the app
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("kairos_oauth_zoom="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/oauth\/zoom/);
  });
});

describe("GET /oauth/zoom/callback", () => {
  it("stores sealed tokens, the host id, account id and plan; the client then works", async () => {
    const { res, coachId, jar } = await connectZoom("dana@coach.test");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/settings?zoom=connected");

    const row = await zoomRowOf(coachId);
    expect(row).toMatchObject({
      status: "connected",
      external_user_id: "zu_dana_reyes",
      external_account_id: "za_dana",
      plan_type: "licensed",
    });
    // Ciphertext only: no token of the fake's (zsbx_…) is stored in the clear.
    expect(row?.access_token_enc).toMatch(/^v\d+\./);
    expect(`${row?.access_token_enc}${row?.refresh_token_enc}`).not.toContain("zsbx_");

    const me = await zoomFor(env, coachId).me();
    expect(me).toMatchObject({ id: "zu_dana_reyes", account_id: "za_dana", type: 2 });

    const list = (await (await api(jar, "/api/connections")).json()) as Connections;
    expect(list.items.map((c) => [c.provider, c.status, c.plan])).toEqual([
      ["calendly", "connected", null],
      ["zoom", "connected", "licensed"],
    ]);
  });

  it("records a Basic host's plan", async () => {
    const { coachId } = await connectZoom("lee@coach.test");
    expect((await zoomRowOf(coachId))?.plan_type).toBe("basic");
  });

  it("refuses a callback whose state does not match the cookie, and stores nothing", async () => {
    const { jar } = await sandboxSignIn("lee@coach.test");
    const coachId = await coachIdOf(jar);
    await env.DB.prepare(
      "delete from provider_connections where coach_id = ? and provider = 'zoom'",
    )
      .bind(coachId)
      .run();
    const { authorize } = await startZoom(jar);
    authorize.searchParams.set("state", "forged");
    const res = await approveZoom(jar, authorize, "lee@coach.test");
    expect(res.headers.get("location")).toBe("/settings?zoom=state_mismatch");
    expect(await zoomRowOf(coachId)).toBeNull();
  });

  it("refuses a flow started by another coach's session (the cookie names its coach)", async () => {
    const dana = await sandboxSignIn("dana@coach.test");
    const { authorize } = await startZoom(dana.jar);
    const lee = await sandboxSignIn("lee@coach.test");
    const leeId = await coachIdOf(lee.jar);
    const before = await zoomRowOf(leeId);
    // Lee's browser holds Dana's state cookie (a login CSRF): the callback must not connect Lee.
    const jar = new CookieJar();
    for (const name of ["__Host-kairos_session", "kairos_session"]) {
      const v = lee.jar.get(name);
      if (v) jar.set(name, v);
    }
    jar.set("kairos_oauth_zoom", dana.jar.get("kairos_oauth_zoom") ?? "");
    const res = await approveZoom(jar, authorize, "lee@coach.test");
    expect(res.headers.get("location")).toBe("/settings?zoom=state_mismatch");
    expect(await zoomRowOf(leeId)).toEqual(before);
  });

  it("says access_denied when the coach declines at Zoom", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const { authorize } = await startZoom(jar);
    const form = new URLSearchParams(authorize.searchParams);
    form.set("decision", "deny");
    form.set("email", "dana@coach.test");
    const denied = await exports.default.fetch(`${env.ZOOM_AUTH_BASE}/oauth/authorize`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    const back = new URL(denied.headers.get("location") ?? "");
    const res = await api(jar, `${back.pathname}${back.search}`, { redirect: "manual" });
    expect(res.headers.get("location")).toBe("/settings?zoom=access_denied");
  });
});

describe("GET /api/connections", () => {
  it("lists Zoom as disconnected for a coach who never connected it", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const coachId = await coachIdOf(jar);
    await env.DB.prepare(
      "delete from provider_connections where coach_id = ? and provider = 'zoom'",
    )
      .bind(coachId)
      .run();
    const list = (await (await api(jar, "/api/connections")).json()) as Connections;
    expect(list.items.find((c) => c.provider === "zoom")).toMatchObject({
      status: "disconnected",
      plan: null,
    });
  });
});
