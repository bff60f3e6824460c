/**
 * A reconcile run can never wedge a coach's sync: stale runs are replaced, a failed first enqueue or
 * a dead-lettered page fails the run, and concurrent starts make exactly one run.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { STALE_AFTER_MS, startSync } from "../../../worker/bookings/start-sync";
import { createDb } from "../../../worker/db/client";
import worker from "../../../worker/index";
import { dana, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

async function danaScope() {
  server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, []));
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  const coachId = coach?.id ?? "";
  // The sign-in queued an import; these tests start from a coach with no running run.
  await env.DB.prepare("update sync_runs set status = 'done' where coach_id = ?")
    .bind(coachId)
    .run();
  return { db: createDb(env.DB), coachId };
}

const runStatus = (id: string) =>
  env.DB.prepare("select status, error from sync_runs where id = ?")
    .bind(id)
    .first<{ status: string; error: string | null }>();

/** An env whose jobs queue refuses every send, as a queue outage would. */
const queueDown = { ...env, JOBS: { send: () => Promise.reject(new Error("queue unavailable")) } };

describe("startSync", () => {
  it("joins a run that is making progress", async () => {
    const scope = await danaScope();
    const first = await startSync(env, scope, "manual");
    const second = await startSync(
      env,
      scope,
      "manual",
      new Date(Date.now() + STALE_AFTER_MS - 60_000),
    );
    expect(first.started).toBe(true);
    expect(second).toEqual({ runId: first.runId, started: false });
  });

  it("replaces a run without progress for 15 minutes and fails it with a reason", async () => {
    const scope = await danaScope();
    const dead = await startSync(env, scope, "manual");
    const later = new Date(Date.now() + STALE_AFTER_MS + 1_000);
    const fresh = await startSync(env, scope, "manual", later);
    expect(fresh.started).toBe(true);
    expect(fresh.runId).not.toBe(dead.runId);
    expect(await runStatus(dead.runId)).toMatchObject({ status: "failed" });
    expect((await runStatus(dead.runId))?.error).toMatch(/No progress/);
  });

  it("counts progress from the last applied page, not from the start", async () => {
    const scope = await danaScope();
    const run = await startSync(env, scope, "manual");
    const pageAt = Date.now() + STALE_AFTER_MS;
    await env.DB.prepare("update sync_runs set progress_at = ? where id = ?")
      .bind(pageAt, run.runId)
      .run();
    const joined = await startSync(env, scope, "manual", new Date(pageAt + 60_000));
    expect(joined).toEqual({ runId: run.runId, started: false });
  });

  it("fails the run when its first page cannot be queued, so the next press starts one", async () => {
    const scope = await danaScope();
    await expect(startSync(queueDown as unknown as Env, scope, "manual")).rejects.toThrow(
      /queue unavailable/,
    );
    const runs = await env.DB.prepare(
      "select status, error from sync_runs where coach_id = ? and status != 'done'",
    )
      .bind(scope.coachId)
      .all<{ status: string; error: string }>();
    expect(runs.results).toEqual([
      { status: "failed", error: "Could not queue the sync; try again." },
    ]);
    expect((await startSync(env, scope, "manual")).started).toBe(true);
  });

  it("makes exactly one run out of concurrent starts", async () => {
    const scope = await danaScope();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => startSync(env, scope, "scheduled")),
    );
    expect(results.filter((r) => r.started)).toHaveLength(1);
    expect(new Set(results.map((r) => r.runId)).size).toBe(1);
    const running = await env.DB.prepare(
      "select count(*) as n from sync_runs where coach_id = ? and status = 'running'",
    )
      .bind(scope.coachId)
      .first<{ n: number }>();
    expect(running?.n).toBe(1);
  });

  it("fails the run whose sync page was dead-lettered", async () => {
    const scope = await danaScope();
    const { runId } = await startSync(env, scope, "manual");
    const batch = createMessageBatch("dead-letters", [
      {
        id: "dl-sync",
        timestamp: new Date(),
        attempts: 6,
        body: { type: "calendly.sync", coachId: scope.coachId, runId },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dl-sync"]);
    expect(await runStatus(runId)).toMatchObject({ status: "failed" });
    expect((await startSync(env, scope, "manual")).started).toBe(true);
  });
});
