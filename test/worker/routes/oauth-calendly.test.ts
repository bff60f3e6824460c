import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CALENDLY_SCOPES } from "../../../worker/calendly/oauth";
import { CookieJar } from "../helpers/cookies";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { sandboxSignIn } from "../helpers/sandbox-sign-in";
import { api, callback, signInWithCode, startSignIn } from "../helpers/sign-in";
import { server } from "../setup";

const TABLES = ["coaches", "provider_connections", "login_sessions"] as const;
const counts = async () =>
  Object.fromEntries(
    await Promise.all(
      TABLES.map(async (t) => {
        const row = await env.DB.prepare(`select count(*) as n from ${t}`).first<{ n: number }>();
        return [t, row?.n ?? 0] as const;
      }),
    ),
  );

const pkceChallenge = async (verifier: string) => {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
};

describe("GET /oauth/calendly/start", () => {
  it("redirects to Calendly's authorize URL with PKCE S256 and a state bound to an HttpOnly cookie", async () => {
    const { res, authorize, state, jar } = await startSignIn();
    expect(res.status).toBe(302);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      "http://kairos.test/sandbox/calendly/oauth/authorize",
    );
    expect(authorize.searchParams.get("client_id")).toBe(env.CALENDLY_CLIENT_ID);
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("redirect_uri")).toBe(
      "http://kairos.test/oauth/calendly/callback",
    );
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("scope")).toContain("scheduled_events:read");
    expect(state.length).toBeGreaterThan(20);

    const setCookie = res.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/kairos_oauth_calendly=.*HttpOnly/i);
    expect(setCookie).toMatch(/Max-Age=600/i);
    expect(jar.get("kairos_oauth_calendly")).toBeTruthy();
  });
});

describe("GET /oauth/calendly/callback", () => {
  it("exchanges the code with the PKCE verifier, stores the coach and starts a session", async () => {
    let tokenForm: URLSearchParams | undefined;
    server.use(
      ...fakeCalendly([dana], (form) => {
        tokenForm = form;
      }),
    );
    const { jar, authorize, state } = await startSignIn();
    const res = await callback(jar, { code: `code-${dana.token}`, state });

    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(tokenForm?.get("grant_type")).toBe("authorization_code");
    const verifier = tokenForm?.get("code_verifier") ?? "";
    expect(await pkceChallenge(verifier)).toBe(authorize.searchParams.get("code_challenge"));

    const session = res.headers.getSetCookie().find((c) => c.startsWith("__Host-kairos_session="));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/Secure/i);
    expect(session).toMatch(/SameSite=Lax/i);

    const me = await api(jar, "/api/me");
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      name: "Dana Reyes",
      email: "dana@coach.test",
      timeZone: "America/New_York",
      slug: "dana-reyes",
      calendlyUserUri: dana.uri,
      // Zoom is always listed: disconnected until the coach connects it.
      connections: [
        { provider: "calendly", status: "connected" },
        { provider: "zoom", status: "disconnected" },
      ],
    });
  });

  it("stores tokens encrypted: no plaintext token anywhere in D1", async () => {
    server.use(...fakeCalendly([dana]));
    await signInWithCode(`code-${dana.token}`);
    const row = await env.DB.prepare(
      "select access_token_enc, refresh_token_enc from provider_connections",
    ).first<{ access_token_enc: string; refresh_token_enc: string }>();
    expect(row?.access_token_enc).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    expect(row?.refresh_token_enc).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    const dump = JSON.stringify(
      (await env.DB.prepare("select * from provider_connections").all()).results,
    );
    expect(dump).not.toContain(dana.token);
    expect(dump).not.toContain(`refresh-${dana.token}`);
  });

  it("refuses a state that does not match the cookie and stores nothing", async () => {
    server.use(...fakeCalendly([dana]));
    const before = await counts();
    const { jar } = await startSignIn();
    const res = await callback(jar, { code: `code-${dana.token}`, state: "forged-state" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/signin?error=state_mismatch");
    expect(await counts()).toEqual(before);
  });

  it("refuses a callback without the state cookie (another browser) and stores nothing", async () => {
    server.use(...fakeCalendly([dana]));
    const before = await counts();
    const { state } = await startSignIn();
    const res = await callback(new CookieJar(), { code: `code-${dana.token}`, state });
    expect(res.headers.get("location")).toBe("/signin?error=state_mismatch");
    expect(await counts()).toEqual(before);
  });

  it("returns to sign-in when the coach denies consent, storing nothing", async () => {
    const before = await counts();
    const { jar, state } = await startSignIn();
    const res = await callback(jar, { error: "access_denied", state });
    expect(res.headers.get("location")).toBe("/signin?error=access_denied");
    expect(await counts()).toEqual(before);
  });

  it("returns to sign-in when Calendly rejects the code, storing nothing", async () => {
    server.use(...fakeCalendly([dana]));
    const before = await counts();
    const { jar, state } = await startSignIn();
    const res = await callback(jar, { code: "code-unknown", state });
    expect(res.headers.get("location")).toBe("/signin?error=code_rejected");
    expect(await counts()).toEqual(before);
  });

  it("returns to sign-in (not 'code rejected') when Calendly refuses Kairos's client credentials", async () => {
    const { http, HttpResponse } = await import("msw");
    server.use(
      http.post("http://kairos.test/sandbox/calendly/oauth/token", () =>
        HttpResponse.json({ error: "invalid_client" }, { status: 401 }),
      ),
    );
    const before = await counts();
    const { jar, state } = await startSignIn();
    const res = await callback(jar, { code: `code-${dana.token}`, state });
    expect(res.headers.get("location")).toBe("/signin?error=calendly_error");
    expect(await counts()).toEqual(before);
  });

  it("returns to sign-in when Calendly fails while reading the profile, storing nothing", async () => {
    const { http, HttpResponse } = await import("msw");
    server.use(...fakeCalendly([dana]));
    // Handlers added later take precedence.
    server.use(
      http.get("http://kairos.test/sandbox/calendly/users/me", () =>
        HttpResponse.json({ title: "Internal Server Error" }, { status: 500 }),
      ),
    );
    const before = await counts();
    const { jar, state } = await startSignIn();
    const res = await callback(jar, { code: `code-${dana.token}`, state });
    expect(res.headers.get("location")).toBe("/signin?error=calendly_error");
    expect(await counts()).toEqual(before);
  });

  it("reconnecting restores a broken connection for the same coach, keeping their data", async () => {
    server.use(...fakeCalendly([dana]));
    await signInWithCode(`code-${dana.token}`);
    const before = await env.DB.prepare("select id from coaches where email = ?")
      .bind(dana.email)
      .first<{ id: string }>();
    await env.DB.prepare(
      "update provider_connections set status = 'needs_reconnect', last_error = 'gone' where coach_id = ?",
    )
      .bind(before?.id)
      .run();
    await signInWithCode(`code-${dana.token}`);
    const after = await env.DB.prepare(
      "select c.id, p.status, p.last_error from coaches c join provider_connections p on p.coach_id = c.id where c.email = ?",
    )
      .bind(dana.email)
      .first();
    expect(after).toEqual({ id: before?.id, status: "connected", last_error: null });
  });

  it("cannot be replayed: the state cookie is cleared after one use", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar, state } = await startSignIn();
    await callback(jar, { code: `code-${dana.token}`, state });
    expect(jar.get("kairos_oauth_calendly")).toBeUndefined();
    const again = await callback(jar, { code: `code-${dana.token}`, state });
    expect(again.headers.get("location")).toBe("/signin?error=state_mismatch");
  });
});

describe("POST /api/logout", () => {
  it("revokes the session so the cookie stops working", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const stale = new CookieJar();
    stale.set("__Host-kairos_session", jar.get("__Host-kairos_session") ?? "");
    expect((await api(stale, "/api/me")).status).toBe(200);
    expect((await api(jar, "/api/logout", { method: "POST" })).status).toBe(200);
    const res = await api(stale, "/api/me");
    expect(res.status).toBe(401);
    const revoked = await env.DB.prepare(
      "select count(*) as n from login_sessions where revoked_at is not null",
    ).first<{ n: number }>();
    expect(revoked?.n).toBe(1);
  });
});

describe("a Calendly grant without every scope Kairos needs", () => {
  const withhold = (scopes: string[]) =>
    exports.default.fetch("http://kairos.test/sandbox/calendly/control/scopes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ withhold: scopes }),
    });
  type Conn = { provider: string; status: string; missingScopes: string[]; lastError: string };

  it("asks Calendly for exactly the scopes Kairos needs", async () => {
    const { authorize } = await startSignIn();
    expect(authorize.searchParams.get("scope")?.split(" ").sort()).toEqual(
      CALENDLY_SCOPES.split(" ").sort(),
    );
  });

  it("signs in but says what is missing; reconnecting with every scope restores the connection", async () => {
    await withhold(["scheduled_events:write", "webhooks:write"]);
    const { jar, res } = await sandboxSignIn("lee@coach.test");
    expect(res.headers.get("location")).toBe("/");

    const { items } = (await (await api(jar, "/api/connections")).json()) as { items: Conn[] };
    expect(items).toEqual([
      expect.objectContaining({
        provider: "calendly",
        status: "needs_reconnect",
        missingScopes: ["scheduled_events:write", "webhooks:write"],
        lastError: expect.stringMatching(
          /^Kairos needs access to .*scheduled_events:write.*webhooks:write/,
        ),
      }),
      expect.objectContaining({ provider: "zoom", status: "disconnected", missingScopes: [] }),
    ]);
    const me = (await (await api(jar, "/api/me")).json()) as { connections: Conn[] };
    expect(me.connections[0]?.lastError).toContain("Kairos needs access to");
    // Nothing runs on a half grant: no import and no webhook subscription.
    const work = await env.DB.prepare(
      `select (select count(*) from sync_runs where coach_id = c.id) as runs,
              (select count(*) from webhook_subscriptions where coach_id = c.id) as subs
         from coaches c where c.email = 'lee@coach.test'`,
    ).first();
    expect(work).toEqual({ runs: 0, subs: 0 });
    // Kairos refuses to use the half grant rather than fail call by call.
    expect((await api(jar, "/api/availability/busy")).status).toBe(424);

    const again = await sandboxSignIn("lee@coach.test");
    const after = (await (await api(again.jar, "/api/connections")).json()) as { items: Conn[] };
    expect(after.items[0]).toMatchObject({
      status: "connected",
      missingScopes: [],
      lastError: null,
    });
  });

  it("without users:read there is no profile to sign in with: back to sign-in, nothing stored", async () => {
    const before = await counts();
    await withhold(["users:read"]);
    const { res } = await sandboxSignIn("dana@coach.test");
    expect(res.headers.get("location")).toBe("/signin?error=missing_scopes");
    expect(await counts()).toEqual(before);
  });
});
