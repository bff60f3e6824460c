import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { ensureCalendlySubscription } from "../../../worker/calendly/ensure-subscription";
import { fanOutDueSyncs } from "../../../worker/cron/due-syncs";
import { createDb } from "../../../worker/db/client";
import { dana, fakeCalendly, fakeSubscriptions } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { deliver, inviteeEnvelope, signatureHeader } from "../helpers/webhooks";
import { server } from "../setup";

async function setup() {
  const subs = fakeSubscriptions();
  server.use(...subs.handlers, ...fakeCalendly([dana]));
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  const scope = { db: createDb(env.DB), coachId: coach?.id ?? "" };
  await env.DB.prepare("delete from webhook_subscriptions where coach_id = ?")
    .bind(scope.coachId)
    .run();
  return { scope, subs, jar };
}

/** Calendly refusing webhook subscriptions, as it does for a plan without them. */
const refuseSubscriptions = (message: string) =>
  server.use(
    http.post(`${CALENDLY}/webhook_subscriptions`, () =>
      HttpResponse.json({ title: "Permission Denied", message }, { status: 403 }),
    ),
  );

const availability = async (coachId: string) =>
  (
    await env.DB.prepare(
      "select webhook_availability as w from provider_connections where coach_id = ? and provider = 'calendly'",
    )
      .bind(coachId)
      .first<{ w: string }>()
  )?.w;

describe("ensureCalendlySubscription", () => {
  it("creates a user-scoped subscription with a generated key that verifies deliveries", async () => {
    const { scope, subs } = await setup();
    const result = await ensureCalendlySubscription(env, scope);
    expect(result.action).toBe("created");
    const [remote] = [...subs.store.values()];
    expect(remote?.callback_url).toBe(`http://kairos.test/webhooks/calendly/${result.id}`);
    expect(remote?.events).toContain("invitee.canceled");
    expect(remote?.signing_key.length).toBeGreaterThan(30);

    const row = await env.DB.prepare(
      "select signing_key_enc from webhook_subscriptions where id = ?",
    )
      .bind(result.id)
      .first<{ signing_key_enc: string }>();
    expect(row?.signing_key_enc).not.toContain(remote?.signing_key);

    const raw = JSON.stringify(inviteeEnvelope({ uri: "https://api.calendly.test/inv/ensure" }));
    const ok = await deliver(result.id ?? "", raw, {
      "calendly-webhook-signature": await signatureHeader(remote?.signing_key ?? "", raw),
    });
    expect(ok.status).toBe(200);
  });

  it("keeps a subscription Calendly still has active", async () => {
    const { scope, subs } = await setup();
    const first = await ensureCalendlySubscription(env, scope);
    const again = await ensureCalendlySubscription(env, scope);
    expect(again).toEqual({ action: "kept", id: first.id });
    expect(subs.store.size).toBe(1);
  });

  it.each(["disabled", "deleted"] as const)(
    "recreates a subscription Calendly %s",
    async (fate) => {
      const { scope, subs } = await setup();
      const first = await ensureCalendlySubscription(env, scope);
      const [uuid, sub] = [...subs.store.entries()][0] ?? [];
      if (!uuid || !sub) throw new Error("no subscription");
      if (fate === "disabled") sub.state = "disabled";
      else subs.store.delete(uuid);
      const again = await ensureCalendlySubscription(env, scope);
      expect(again.action).toBe("recreated");
      expect(again.id).not.toBe(first.id);
      expect([...subs.store.values()].map((s) => s.state)).toEqual(["active"]);
      const rows = await env.DB.prepare("select id from webhook_subscriptions where coach_id = ?")
        .bind(scope.coachId)
        .all();
      expect(rows.results).toEqual([{ id: again.id }]);
    },
  );
});

const CALENDLY = "http://kairos.test/sandbox/calendly";

describe("a Calendly plan without webhooks", () => {
  it("is recorded as a known state (once), shown on GET /api/connections, and reconciled every 15 min", async () => {
    const { scope, jar } = await setup();
    refuseSubscriptions("Please upgrade to a paid Calendly account.");
    const result = await ensureCalendlySubscription(env, scope);
    expect(result).toEqual({ action: "unavailable_on_plan", id: null });
    expect(await availability(scope.coachId)).toBe("unavailable_on_plan");
    expect(await ensureCalendlySubscription(env, scope)).toEqual(result);
    const audits = await env.DB.prepare(
      "select count(*) as n from audit_log where coach_id = ? and action = 'webhook_subscription.unavailable_on_plan'",
    )
      .bind(scope.coachId)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);

    const res = await api(jar, "/api/connections");
    const { items } = (await res.json()) as {
      items: { provider: string; webhooks: string | null; lastError: string | null }[];
    };
    expect(items.find((i) => i.provider === "calendly")).toMatchObject({
      webhooks: "unavailable_on_plan",
      lastError: null,
    });

    // The hourly reconcile becomes a 15-minute one for this coach.
    const now = new Date(Date.now() + 2 * 3_600_000);
    expect(await fanOutDueSyncs(env, now)).toBeGreaterThan(0);
    const next = await env.DB.prepare("select next_sync_at as t from coaches where id = ?")
      .bind(scope.coachId)
      .first<{ t: number }>();
    // (A sync run may move it again; never later than the 15-minute cadence.)
    expect(next?.t).toBeGreaterThan(Date.now());
    expect(next?.t).toBeLessThanOrEqual(now.getTime() + 15 * 60_000);
  });

  it("the older 'upgrade to Standard' wording counts too; an upgrade is noticed on the next check", async () => {
    const { scope, subs } = await setup();
    refuseSubscriptions("Please upgrade your Calendly account to Standard");
    expect((await ensureCalendlySubscription(env, scope)).action).toBe("unavailable_on_plan");
    server.resetHandlers();
    server.use(...subs.handlers, ...fakeCalendly([dana]));
    expect((await ensureCalendlySubscription(env, scope)).action).toBe("created");
    expect(await availability(scope.coachId)).toBe("available");
  });

  it("any other 403 (role, scope) stays an error", async () => {
    const { scope } = await setup();
    refuseSubscriptions("You do not have permission to access this resource.");
    await expect(ensureCalendlySubscription(env, scope)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await availability(scope.coachId)).toBe("available");
  });
});

describe("the ensure_subscription job", () => {
  it("ends normally when the plan refuses webhooks: no retry, no dead letter", async () => {
    const { createExecutionContext, createMessageBatch, getQueueResult } = await import(
      "cloudflare:test"
    );
    const worker = (await import("../../../worker/index")).default;
    const { scope } = await setup();
    refuseSubscriptions("Please upgrade to a paid Calendly account.");
    const batch = createMessageBatch("jobs", [
      {
        id: "p1",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "calendly.ensure_subscription", coachId: scope.coachId },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["p1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("starts a reconcile when it had to recreate the subscription", async () => {
    const { createExecutionContext, createMessageBatch, getQueueResult } = await import(
      "cloudflare:test"
    );
    const worker = (await import("../../../worker/index")).default;
    const { scope, subs } = await setup();
    await ensureCalendlySubscription(env, scope);
    subs.store.clear(); // Calendly lost it
    await env.DB.prepare("update sync_runs set status = 'done' where coach_id = ?")
      .bind(scope.coachId)
      .run();
    const batch = createMessageBatch("jobs", [
      {
        id: "e1",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "calendly.ensure_subscription", coachId: scope.coachId },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["e1"]);
    const runs = await env.DB.prepare(
      "select kind from sync_runs where coach_id = ? and status = 'running'",
    )
      .bind(scope.coachId)
      .all<{ kind: string }>();
    expect(runs.results).toEqual([{ kind: "manual" }]);
  });
});
