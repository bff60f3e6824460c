import { createExecutionContext, createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isOperatorEmail } from "../../../worker/auth/require-operator";
import worker from "../../../worker/index";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const asOperator = { ...env, ADMIN_EMAILS: "ops@kairos.test, Dana@Coach.test" };
const call = (cookie: string, path: string, init: RequestInit = {}, bindings: Env = env) =>
  worker.fetch(
    new Request(`http://kairos.test${path}`, { ...init, headers: { cookie } }),
    bindings,
    createExecutionContext(),
  );

describe("/admin/api", () => {
  it("matches operator emails case-insensitively in a comma list", () => {
    expect(isOperatorEmail(" a@x.test ,B@y.test", "b@Y.test")).toBe(true);
    expect(isOperatorEmail("", "b@y.test")).toBe(false);
  });

  it("refuses coaches who are not operators", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const res = await call(jar.header(), "/admin/api/webhook-events");
    expect(res.status).toBe(403);
  });

  it("lets the operator list failed events and replay one", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await env.DB.prepare(
      "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at) values ('whe_failed', 'calendly', 'k-failed', 'invitee.created', null, '{}', 'failed', 1)",
    ).run();
    const list = await call(jar.header(), "/admin/api/webhook-events", {}, asOperator);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(
      "whe_failed",
    );

    const replay = await call(
      jar.header(),
      "/admin/api/webhook-events/whe_failed/replay",
      { method: "POST" },
      asOperator,
    );
    expect(replay.status).toBe(202);
    const missing = await call(
      jar.header(),
      "/admin/api/webhook-events/whe_nope/replay",
      { method: "POST" },
      asOperator,
    );
    expect(missing.status).toBe(404);
  });

  it("lets the operator re-import one coach's bookings", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind(dana.email)
      .first<{ id: string }>();
    const path = `/admin/api/coaches/${coach?.id}/import`;
    expect((await call(jar.header(), path, { method: "POST" })).status).toBe(403);
    // Let the sign-in's own sync finish, so this call starts a run of its own.
    for (let i = 0; i < 100; i++) {
      const running = await env.DB.prepare(
        "select count(*) as n from sync_runs where coach_id = ? and status = 'running'",
      )
        .bind(coach?.id)
        .first<{ n: number }>();
      if (!running?.n) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await call(jar.header(), path, { method: "POST" }, asOperator);
    expect(res.status).toBe(202);
    const { runId, started } = (await res.json()) as { runId: string; started: boolean };
    expect(started).toBe(true);
    const run = await env.DB.prepare("select coach_id, kind from sync_runs where id = ?")
      .bind(runId)
      .first<{ coach_id: string; kind: string }>();
    expect(run).toEqual({ coach_id: coach?.id, kind: "import" });
    const missing = await call(
      jar.header(),
      "/admin/api/coaches/coa_nope/import",
      { method: "POST" },
      asOperator,
    );
    expect(missing.status).toBe(404);
  });

  it("shows the operator the messages that exhausted their retries", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const batch = createMessageBatch("dead-letters", [
      {
        id: "dl-refresh-1",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "calendly.refresh_token", coachId: "coa_x" },
      },
    ]);
    await worker.queue(batch, env, createExecutionContext());
    expect((await call(jar.header(), "/admin/api/dead-letters")).status).toBe(403);
    const res = await call(jar.header(), "/admin/api/dead-letters", {}, asOperator);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { messageId: string; detail: { body: { type: string } } }[];
    };
    expect(items.find((i) => i.messageId === "dl-refresh-1")?.detail.body.type).toBe(
      "calendly.refresh_token",
    );
  });
});
