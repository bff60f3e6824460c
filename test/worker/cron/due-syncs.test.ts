/**
 * The scheduled reconcile: the cron claims a due coach and sends one `calendly.sync_due` job (it no
 * longer starts runs itself); the job starts a `scheduled` run, or joins the one already running.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fanOutDueSyncs } from "../../../worker/cron/due-syncs";
import { nextScheduledSync, syncOffsetMs } from "../../../worker/cron/sync-schedule";
import { createDb } from "../../../worker/db/client";
import { startSyncRun } from "../../../worker/db/sync-runs";
import worker from "../../../worker/index";
import { recordingQueue } from "../helpers/counting-queue";
import { dana, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

async function danaId() {
  server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, []));
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return coach?.id ?? "";
}

const runs = (coachId: string) =>
  env.DB.prepare("select id, kind, status from sync_runs where coach_id = ? order by started_at")
    .bind(coachId)
    .all<{ id: string; kind: string; status: string }>()
    .then((r) => r.results);

async function runSyncDue(coachId: string) {
  const batch = createMessageBatch("jobs", [
    {
      id: "due-1",
      timestamp: new Date(),
      attempts: 1,
      body: { type: "calendly.sync_due", coachId },
    },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("the due-sync fan-out", () => {
  it("claims a due coach and only enqueues: no run is started in the cron", async () => {
    const coachId = await danaId();
    const before = (await runs(coachId)).length;
    const jobs = recordingQueue();
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await fanOutDueSyncs({ ...env, JOBS: jobs.binding }, later)).toBeGreaterThanOrEqual(1);
    expect(jobs.bodies).toContainEqual({ type: "calendly.sync_due", coachId });
    expect((await runs(coachId)).length).toBe(before);
  });

  it("the job joins the run already going, else starts a scheduled one", async () => {
    const coachId = await danaId();
    await env.DB.prepare("update sync_runs set status = 'done' where coach_id = ?")
      .bind(coachId)
      .run();
    // A manual run in progress (no message for it, so it stays running while the test looks).
    const manual = await startSyncRun({ db: createDb(env.DB), coachId }, "manual", {
      start: new Date(),
      end: new Date(Date.now() + 86_400_000),
    });
    expect((await runSyncDue(coachId)).explicitAcks).toEqual(["due-1"]);
    expect((await runs(coachId)).filter((r) => r.status === "running")).toMatchObject([
      { id: manual, kind: "manual" },
    ]);

    await env.DB.prepare("update sync_runs set status = 'done' where coach_id = ?")
      .bind(coachId)
      .run();
    expect((await runSyncDue(coachId)).explicitAcks).toEqual(["due-1"]);
    const running = (await runs(coachId)).filter((r) => r.status === "running");
    expect(running).toMatchObject([{ kind: "scheduled" }]);
  });
});

describe("nextScheduledSync", () => {
  const now = new Date(Date.UTC(2026, 2, 1, 12, 2, 0));

  it("is within one interval, on the coach's own offset, and stable from tick to tick", () => {
    const next = nextScheduledSync("coa_a", 60, now);
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(next.getTime()).toBeLessThanOrEqual(now.getTime() + 3_600_000);
    expect(next.getTime() % 3_600_000).toBe(syncOffsetMs("coa_a", 3_600_000));
    // Claimed on any tick up to an interval late, the coach keeps its slot.
    expect(nextScheduledSync("coa_a", 60, new Date(next.getTime() + 4 * 60_000))).toEqual(
      new Date(next.getTime() + 3_600_000),
    );
    expect(nextScheduledSync("coa_a", 60, next)).toEqual(new Date(next.getTime() + 3_600_000));
  });

  it("gives different coaches different offsets", () => {
    const offsets = new Set(
      Array.from({ length: 50 }, (_, i) => nextScheduledSync(`coa_${i}`, 60, now).getTime()),
    );
    expect(offsets.size).toBeGreaterThan(45);
  });
});
