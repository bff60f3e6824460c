import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { CALENDLY, call, tokenRequest, tokensFor } from "../../helpers/sandbox-calendly";

const control = (path: string, body?: unknown) =>
  exports.default.fetch(
    `${CALENDLY}/control/${path}`,
    body === undefined
      ? {}
      : {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        },
  );

describe("sandbox Calendly fault switches", () => {
  afterEach(async () => {
    await control("faults", { kind: "none" });
  });

  it("answers a burst of 5xx, then normally again", async () => {
    const t = await tokensFor("dana@coach.test");
    const set = await control("faults", { kind: "5xx", count: 2 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ kind: "5xx", remaining: 2 });
    expect(await (await control("faults")).json()).toEqual({ kind: "5xx", remaining: 2 });

    for (let i = 0; i < 2; i++) {
      const res = await call(t.access_token, "/users/me");
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        title: "Internal Server Error",
        message:
          "The server encountered an unexpected condition that prevented it from fulfilling the request.",
      });
    }
    expect((await call(t.access_token, "/users/me")).status).toBe(200);
    expect(await (await control("faults")).json()).toBeNull();
  });

  it("leaves OAuth and the control API alone while a fault is active", async () => {
    await control("faults", { kind: "5xx", count: 3 });
    const t = await tokensFor("lee@coach.test");
    expect(t.access_token).toBeTruthy();
    const state = (await (await control("state")).json()) as { faults: unknown };
    expect(state.faults).toEqual({ kind: "5xx", remaining: 3 });
  });

  it("answers 429 with reset headers", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("faults", { kind: "429", count: 1, retryAfterSeconds: 7 });
    const res = await call(t.access_token, "/users/me");
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("7");
    expect(res.headers.get("X-RateLimit-Reset")).toBe("7");
    expect(res.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(res.headers.get("X-RateLimit-Limit")).toBeTruthy();
    expect(await res.json()).toEqual({
      title: "Too Many Requests",
      message: "You have exceeded the rate limit",
    });
    expect((await call(t.access_token, "/users/me")).status).toBe(200);
  });

  it("holds a timed-out answer back for delayMs, then answers normally", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("faults", { kind: "timeout", count: 1, delayMs: 50 });
    const started = Date.now();
    const res = await call(t.access_token, "/users/me");
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("expires a coach's access tokens now", async () => {
    const t = await tokensFor("dana@coach.test");
    const res = await control("tokens", { coachEmail: "dana@coach.test", action: "expire_access" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; changed: number };
    expect(body.ok).toBe(true);
    expect(body.changed).toBeGreaterThanOrEqual(1);
    const api = await call(t.access_token, "/users/me");
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({
      title: "Unauthenticated",
      message: "The access token is expired",
    });
    // The refresh token still works, so a client recovers by refreshing.
    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: t.refresh_token,
    });
    expect(refreshed.status).toBe(200);
  });

  it("revokes a coach's refresh tokens so the next refresh is invalid_grant", async () => {
    const t = await tokensFor("lee@coach.test");
    const res = await control("tokens", { coachEmail: "lee@coach.test", action: "revoke_refresh" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { changed: number }).changed).toBeGreaterThanOrEqual(1);
    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: t.refresh_token,
    });
    expect(refreshed.status).toBe(400);
    expect(await refreshed.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("answers 404 for an unknown coach and 400 for bad bodies", async () => {
    const unknown = await control("tokens", {
      coachEmail: "nobody@coach.test",
      action: "expire_access",
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ title: "Resource Not Found" });

    const bad = [
      ["faults", { kind: "boom" }],
      ["faults", { kind: "5xx", count: 0 }],
      ["faults", { kind: "429", retryAfterSeconds: 3601 }],
      ["faults", { kind: "timeout", delayMs: 60_001 }],
      ["faults", "not json"],
      ["tokens", { coachEmail: "not-an-email", action: "expire_access" }],
      ["tokens", { coachEmail: "dana@coach.test", action: "delete" }],
    ] as const;
    for (const [path, body] of bad) {
      const res = await control(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(await res.json()).toMatchObject({ title: "Invalid Argument" });
    }
  });
});
