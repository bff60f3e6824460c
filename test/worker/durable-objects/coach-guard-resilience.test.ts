/**
 * CoachGuard against the real sandbox Calendly, broken on purpose with its fault switches: the
 * breaker, 429 waits, introspection after a 401, a revoked grant and reconnecting.
 */

import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { coachGuard } from "../../../worker/durable-objects/coach-guard";
import type { GateState } from "../../../worker/upstream/policy";
import { sandboxSignIn, signInSettled } from "../helpers/sandbox-sign-in";
import { api } from "../helpers/sign-in";

const CONTROL = "http://kairos.test/sandbox/calendly/control";

const control = async (path: string, body: unknown) => {
  const res = await exports.default.fetch(`${CONTROL}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
};
const remainingFaults = async () => {
  const res = await exports.default.fetch(`${CONTROL}/faults`);
  const body = (await res.json()) as { remaining: number } | null;
  return body?.remaining ?? 0;
};

type ConnectionView = {
  status: string;
  breaker: string;
  retryAt: string | null;
  lastError: string | null;
};
async function calendlyConnection(jar: Parameters<typeof api>[0]) {
  const res = await api(jar, "/api/connections");
  expect(res.status).toBe(200);
  const { items } = (await res.json()) as { items: (ConnectionView & { provider: string })[] };
  return items.find((c) => c.provider === "calendly");
}

async function signedIn(email: string) {
  const { jar } = await sandboxSignIn(email);
  const row = await env.DB.prepare("select id from coaches where email = ?")
    .bind(email)
    .first<{ id: string }>();
  const coachId = row?.id ?? "";
  // The import and subscription jobs share the guard: let them finish before breaking Calendly.
  await signInSettled(coachId);
  return { jar, coachId };
}

const refreshEventTypes = (jar: Parameters<typeof api>[0]) =>
  api(jar, "/api/event-types/refresh", { method: "POST" });

describe("CoachGuard under upstream failure (sandbox)", () => {
  it("a burst of 5xx opens the breaker (no upstream calls), and a success after the cooldown closes it", async () => {
    const { jar, coachId } = await signedIn("dana@coach.test");
    expect((await refreshEventTypes(jar)).status).toBe(200);
    await control("faults", { kind: "5xx", count: 20 });

    expect((await refreshEventTypes(jar)).status).toBe(503); // 3 attempts, retried with backoff
    expect((await refreshEventTypes(jar)).status).toBe(503); // 2 more: 5 in a row → open
    expect(await remainingFaults()).toBe(15);

    const fast = await refreshEventTypes(jar);
    expect(fast.status).toBe(503);
    const body = (await fast.json()) as { error: { code: string; details: { retryAt: string } } };
    expect(body.error.code).toBe("upstream_unavailable");
    expect(Date.parse(body.error.details.retryAt)).toBeGreaterThan(Date.now());
    expect(await remainingFaults()).toBe(15); // failed fast: Calendly was not called

    const degraded = await calendlyConnection(jar);
    expect(degraded).toMatchObject({ status: "degraded", breaker: "open" });
    expect(degraded?.lastError).toMatch(/Calendly answered 500/);

    // The cooldown passes (moved in the guard's storage), and the guard restarts: it remembers.
    const guard = coachGuard(env, coachId);
    await runInDurableObject(guard, (_instance, state) => {
      const gate = state.storage.kv.get<GateState>("gate:calendly");
      if (!gate || gate.breaker !== "open") throw new Error("breaker state was not persisted");
      state.storage.kv.put("gate:calendly", { ...gate, openUntil: Date.now() - 1 });
    });
    await abortAllDurableObjects();
    await control("faults", { kind: "none" });

    expect((await refreshEventTypes(jar)).status).toBe(200); // the half-open probe succeeds
    expect(await calendlyConnection(jar)).toMatchObject({ status: "connected", breaker: "closed" });
  });

  it("a 429 with Retry-After: 30 stops calls until then, and shows as degraded", async () => {
    const { jar } = await signedIn("lee@coach.test");
    await control("faults", { kind: "429", count: 5, retryAfterSeconds: 30 });

    const first = await refreshEventTypes(jar);
    expect(first.status).toBe(429);
    const { error } = (await first.json()) as { error: { details: { retryAt: string } } };
    const wait = Date.parse(error.details.retryAt) - Date.now();
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);

    expect((await refreshEventTypes(jar)).status).toBe(429);
    expect(await remainingFaults()).toBe(4); // the second call never reached Calendly
    expect(await calendlyConnection(jar)).toMatchObject({ status: "degraded", breaker: "closed" });
    await control("faults", { kind: "none" });
  });
});

describe("CoachGuard when a token is in doubt (sandbox)", () => {
  it("a 401 on a token it thought valid → introspects, refreshes once, resends", async () => {
    const { jar, coachId } = await signedIn("dana@coach.test");
    const accessTokens = () =>
      env.DB.prepare(
        "select count(*) as n from sandbox_calendly_tokens where user_id = 'dana-reyes-0001' and kind = 'access'",
      ).first<{ n: number }>();
    const before = (await accessTokens())?.n ?? 0;
    await control("tokens", { coachEmail: "dana@coach.test", action: "expire_access" });

    expect((await refreshEventTypes(jar)).status).toBe(200);
    expect((await accessTokens())?.n).toBe(before + 1); // exactly one refresh
    const row = await env.DB.prepare(
      "select status, last_refreshed_at from provider_connections where coach_id = ?",
    )
      .bind(coachId)
      .first<{ status: string }>();
    expect(row?.status).toBe("connected");
  });

  it("a revoked grant → needs_reconnect everywhere; reconnecting restores it and keeps the data", async () => {
    const { jar, coachId } = await signedIn("dana@coach.test");
    expect((await refreshEventTypes(jar)).status).toBe(200);
    await control("tokens", { coachEmail: "dana@coach.test", action: "revoke_refresh" });
    await control("tokens", { coachEmail: "dana@coach.test", action: "expire_access" });

    const broken = await refreshEventTypes(jar);
    expect(broken.status).toBe(424);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe(
      "reconnect_required",
    );
    const view = await calendlyConnection(jar);
    expect(view?.status).toBe("needs_reconnect");
    expect(view?.lastError).toMatch(/reconnect/i);
    const me = (await (await api(jar, "/api/me")).json()) as { connections: ConnectionView[] };
    expect(me.connections[0]?.status).toBe("needs_reconnect");

    const types = () =>
      env.DB.prepare("select count(*) as n from event_types where coach_id = ?")
        .bind(coachId)
        .first<{ n: number }>();
    const typesBefore = (await types())?.n;

    const again = await signedIn("dana@coach.test");
    expect(again.coachId).toBe(coachId);
    expect(await calendlyConnection(again.jar)).toMatchObject({ status: "connected" });
    expect((await types())?.n).toBe(typesBefore);
    expect((await refreshEventTypes(again.jar)).status).toBe(200);
  });
});
