import {
  abortAllDurableObjects,
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { accessTokenFor, coachGuard } from "../../../worker/durable-objects/coach-guard";
import worker from "../../../worker/index";
import { calendlyStub, dana, type StubOptions } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const TOKEN_URL = "http://kairos.test/sandbox/calendly/oauth/token";

/** Dana signed in against a stub that rotates refresh tokens as Calendly does. */
async function signedInDana(options: StubOptions = {}) {
  const calendly = calendlyStub([dana], options);
  server.use(...calendly.handlers);
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  if (!coach) throw new Error("no coach");
  return { coachId: coach.id, calendly, jar };
}

const expireAccessToken = (coachId: string) =>
  env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
    .bind(Date.now() + 60_000, coachId)
    .run();

const connectionStatus = async (coachId: string) =>
  (
    await env.DB.prepare("select status from provider_connections where coach_id = ?")
      .bind(coachId)
      .first<{ status: string }>()
  )?.status;

/** A gate the test opens when it likes (a Calendly that is slow to answer). */
function hold() {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { held, release };
}

describe("CoachGuard.accessToken", () => {
  it("returns the stored token while it is fresh, without calling Calendly", async () => {
    const { coachId, calendly } = await signedInDana();
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(dana.token);
    expect(calendly.presentedRefreshTokens()).toEqual([]);
  });

  it("shares one refresh between concurrent callers and persists the rotated pair", async () => {
    const { coachId, calendly } = await signedInDana();
    await expireAccessToken(coachId);
    const guard = coachGuard(env, coachId);
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => guard.accessToken(coachId, "calendly")),
    );
    expect(new Set(tokens.map((t) => t.ok && t.value))).toEqual(new Set([`${dana.token}-1`]));
    expect(calendly.presentedRefreshTokens()).toEqual([`refresh-${dana.token}`]);

    const row = await env.DB.prepare(
      "select refresh_token_enc, access_expires_at from provider_connections where coach_id = ?",
    )
      .bind(coachId)
      .first<{ refresh_token_enc: string; access_expires_at: number }>();
    expect(row?.refresh_token_enc).not.toContain(`refresh-${dana.token}-1`);
    expect(row?.access_expires_at).toBeGreaterThan(Date.now() + 3_600_000);

    // The rotated refresh token was the one saved: the next refresh presents it, and works.
    await expireAccessToken(coachId);
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(`${dana.token}-2`);
    expect(calendly.presentedRefreshTokens()[1]).toBe(`refresh-${dana.token}-1`);
  });

  it("marks the connection needs_reconnect when Calendly answers invalid_grant", async () => {
    const { coachId, calendly } = await signedInDana();
    calendly.killRefresh(`refresh-${dana.token}`); // the coach revoked Kairos at Calendly
    await expireAccessToken(coachId);
    await expect(accessTokenFor(env, coachId, "calendly")).rejects.toMatchObject({
      code: "reconnect_required",
    });
    expect(await connectionStatus(coachId)).toBe("needs_reconnect");
  });

  it("invalid_client (Kairos's own credentials) is an operator alert, never needs_reconnect", async () => {
    const { coachId } = await signedInDana();
    await expireAccessToken(coachId);
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ error: "invalid_client" }, { status: 401 })),
    );
    const errors = vi.spyOn(console, "error");
    try {
      await expect(accessTokenFor(env, coachId, "calendly")).rejects.toMatchObject({
        code: "misconfigured",
        status: 500,
      });
      // A background refresh job gives up at once (no retries to dead letters) and flags no one.
      const batch = createMessageBatch("jobs", [
        {
          id: "r1",
          timestamp: new Date(),
          attempts: 1,
          body: { type: "calendly.refresh_token", coachId },
        },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const settled = await getQueueResult(batch, ctx);
      expect(settled.explicitAcks).toEqual(["r1"]);
      expect(settled.retryMessages).toEqual([]);

      expect(await connectionStatus(coachId)).toBe("connected");
      const alerts = errors.mock.calls
        .map(([line]) => String(line))
        .filter((l) => l.includes('"calendly.oauth_misconfigured"'));
      expect(alerts.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(alerts[0] ?? "{}")).toMatchObject({
        level: "error",
        event: "calendly.oauth_misconfigured",
        oauthError: "invalid_client",
      });
      for (const line of alerts) {
        expect(line).not.toContain(env.CALENDLY_CLIENT_SECRET);
        expect(line).not.toContain(`refresh-${dana.token}`);
      }
    } finally {
      errors.mockRestore();
    }
  });

  it("invalid_client while checking a rejected token does not flag the coach either", async () => {
    const { coachId, calendly } = await signedInDana();
    calendly.killAccess(dana.token);
    server.use(
      http.post(`${TOKEN_URL.replace("/token", "/introspect")}`, () =>
        HttpResponse.json({ error: "invalid_client" }, { status: 401 }),
      ),
    );
    const res = await coachGuard(env, coachId).calendly(coachId, {
      method: "GET",
      path: "/users/me",
    });
    expect(res).toMatchObject({ ok: false, code: "misconfigured" });
    expect(await connectionStatus(coachId)).toBe("connected");
  });

  it("survives a restart in the middle of a refresh: nothing half-saved, the next call recovers", async () => {
    const gate = hold();
    let calls = 0;
    // The first refresh never gets an answer: the guard restarts while Calendly is still silent.
    const { coachId, calendly } = await signedInDana({
      onToken: async (form) => {
        if (form.get("grant_type") !== "refresh_token" || ++calls > 1) return;
        await gate.held;
        return HttpResponse.error();
      },
    });
    await expireAccessToken(coachId);
    const before = await storedPair(coachId);
    const guard = coachGuard(env, coachId);
    const waiting = Array.from({ length: 10 }, () =>
      guard.accessToken(coachId, "calendly").catch((err: unknown) => err),
    );
    await vi.waitFor(() => expect(calendly.presentedRefreshTokens()).toHaveLength(1));

    await abortAllDurableObjects(); // the guard restarts mid-refresh
    gate.release();
    for (const outcome of await Promise.all(waiting)) {
      // Callers get an error or nothing usable, never a token that was not saved.
      if (outcome && typeof outcome === "object" && "ok" in outcome && outcome.ok) {
        expect(await storedPair(coachId)).not.toEqual(before);
      }
    }
    expect(await storedPair(coachId)).toEqual(before); // nothing half-written

    expect(await accessTokenFor(env, coachId, "calendly")).toBe(`${dana.token}-1`);
    expect(calendly.presentedRefreshTokens()).toEqual([
      `refresh-${dana.token}`,
      `refresh-${dana.token}`,
    ]);
    expect(await storedPair(coachId)).not.toEqual(before);

    await abortAllDurableObjects(); // and once more: the rotated pair was persisted
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(`${dana.token}-1`);
    expect(calendly.presentedRefreshTokens()).toHaveLength(2);
  });

  it("never leaves a plaintext token in D1, the logs or API responses", async () => {
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      }),
    );
    try {
      const { coachId, jar } = await signedInDana();
      await expireAccessToken(coachId);
      expect(await accessTokenFor(env, coachId, "calendly")).toBe(`${dana.token}-1`);

      const secrets = [dana.token, `refresh-${dana.token}`];
      const responses = await Promise.all(
        ["/api/me", "/api/connections", "/api/activity"].map(async (path) =>
          (await api(jar, path)).text(),
        ),
      );
      const tables = await env.DB.prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sandbox_%' and name not like '\\_%' escape '\\' and name not like 'sqlite_%' and name != 'd1_migrations'",
      ).all<{ name: string }>();
      const dumps = await Promise.all(
        tables.results.map(async ({ name }) =>
          JSON.stringify((await env.DB.prepare(`select * from "${name}"`).all()).results),
        ),
      );
      expect(tables.results.map((t) => t.name)).toContain("provider_connections");
      for (const haystack of [...dumps, ...responses, ...logged]) {
        for (const secret of secrets) expect(haystack).not.toContain(secret);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

async function storedPair(coachId: string) {
  return env.DB.prepare(
    "select access_token_enc, refresh_token_enc, access_expires_at from provider_connections where coach_id = ?",
  )
    .bind(coachId)
    .first();
}
