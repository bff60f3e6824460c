import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { accessTokenFor, coachGuard } from "../../../worker/durable-objects/coach-guard";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const TOKEN_URL = "http://kairos.test/sandbox/calendly/oauth/token";

async function signedInDana() {
  server.use(...fakeCalendly([dana]));
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  if (!coach) throw new Error("no coach");
  return coach.id;
}

const expireAccessToken = (coachId: string) =>
  env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
    .bind(Date.now() + 60_000, coachId)
    .run();

describe("CoachGuard.accessToken", () => {
  it("returns the stored token while it is fresh, without calling Calendly", async () => {
    const coachId = await signedInDana();
    let refreshes = 0;
    server.use(http.post(TOKEN_URL, () => void refreshes++));
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(dana.token);
    expect(refreshes).toBe(0);
  });

  it("shares one refresh between concurrent callers and persists the rotated pair", async () => {
    const coachId = await signedInDana();
    await expireAccessToken(coachId);
    const presented: string[] = [];
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        presented.push(form.get("refresh_token") ?? "");
        return HttpResponse.json({
          token_type: "Bearer",
          access_token: "access-dana-2",
          refresh_token: "refresh-dana-2",
          expires_in: 7200,
          scope: "users:read",
        });
      }),
    );
    const guard = coachGuard(env, coachId);
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => guard.accessToken(coachId, "calendly")),
    );
    expect(new Set(tokens.map((t) => t.ok && t.value))).toEqual(new Set(["access-dana-2"]));
    expect(presented).toEqual([`refresh-${dana.token}`]);

    const row = await env.DB.prepare(
      "select refresh_token_enc, access_expires_at from provider_connections where coach_id = ?",
    )
      .bind(coachId)
      .first<{ refresh_token_enc: string; access_expires_at: number }>();
    expect(row?.refresh_token_enc).not.toContain("refresh-dana-2");
    expect(row?.access_expires_at).toBeGreaterThan(Date.now() + 3_600_000);
  });

  it("marks the connection needs_reconnect when Calendly answers invalid_grant", async () => {
    const coachId = await signedInDana();
    await expireAccessToken(coachId);
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ error: "invalid_grant" }, { status: 400 })),
    );
    await expect(accessTokenFor(env, coachId, "calendly")).rejects.toMatchObject({
      code: "reconnect_required",
    });
    const row = await env.DB.prepare("select status from provider_connections where coach_id = ?")
      .bind(coachId)
      .first<{ status: string }>();
    expect(row?.status).toBe("needs_reconnect");
  });

  it("survives a restart in the middle of a refresh: nothing half-saved, the next call recovers", async () => {
    const coachId = await signedInDana();
    await expireAccessToken(coachId);
    const before = await storedPair(coachId);
    const presented: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        presented.push(form.get("refresh_token") ?? "");
        if (presented.length === 1) await held; // the first refresh hangs until the restart
        return HttpResponse.json({
          token_type: "Bearer",
          access_token: `access-dana-${presented.length + 1}`,
          refresh_token: `refresh-dana-${presented.length + 1}`,
          expires_in: 7200,
        });
      }),
    );
    const guard = coachGuard(env, coachId);
    const waiting = Array.from({ length: 10 }, () =>
      guard.accessToken(coachId, "calendly").catch((err: unknown) => err),
    );
    await vi.waitFor(() => expect(presented).toHaveLength(1));

    await abortAllDurableObjects(); // the guard restarts mid-refresh
    release();
    for (const outcome of await Promise.all(waiting)) {
      // Callers get an error or nothing usable, never a token that was not saved.
      if (outcome && typeof outcome === "object" && "ok" in outcome && outcome.ok) {
        expect(await storedPair(coachId)).not.toEqual(before);
      }
    }
    expect(await storedPair(coachId)).toEqual(before); // nothing half-written

    expect(await accessTokenFor(env, coachId, "calendly")).toBe("access-dana-3");
    expect(presented).toEqual([`refresh-${dana.token}`, `refresh-${dana.token}`]);
    const saved = await storedPair(coachId);
    expect(saved).not.toEqual(before);

    await abortAllDurableObjects(); // and once more: the rotated pair was persisted
    expect(await accessTokenFor(env, coachId, "calendly")).toBe("access-dana-3");
    expect(presented).toHaveLength(2);
  });

  it("never leaves a plaintext token in D1, the logs or API responses", async () => {
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      }),
    );
    try {
      server.use(...fakeCalendly([dana]));
      const { jar } = await signInWithCode(`code-${dana.token}`);
      const coachId = await signedInDana();
      await expireAccessToken(coachId);
      server.use(
        http.post(TOKEN_URL, () =>
          HttpResponse.json({
            token_type: "Bearer",
            access_token: "access-dana-secret-9",
            refresh_token: "refresh-dana-secret-9",
            expires_in: 7200,
          }),
        ),
      );
      expect(await accessTokenFor(env, coachId, "calendly")).toBe("access-dana-secret-9");

      const secrets = [dana.token, `refresh-${dana.token}`, "dana-secret-9"];
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
