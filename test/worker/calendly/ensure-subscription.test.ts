import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ensureCalendlySubscription } from "../../../worker/calendly/ensure-subscription";
import { createDb } from "../../../worker/db/client";
import { dana, fakeCalendly, fakeSubscriptions } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { deliver, inviteeEnvelope, signatureHeader } from "../helpers/webhooks";
import { server } from "../setup";

async function setup() {
  const subs = fakeSubscriptions();
  server.use(...subs.handlers, ...fakeCalendly([dana]));
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  const scope = { db: createDb(env.DB), coachId: coach?.id ?? "" };
  await env.DB.prepare("delete from webhook_subscriptions where coach_id = ?")
    .bind(scope.coachId)
    .run();
  return { scope, subs };
}

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
    const ok = await deliver(result.id, raw, {
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

describe("the ensure_subscription job", () => {
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
