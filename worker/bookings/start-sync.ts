/**
 * Starting a reconcile run: at most one running run per coach (a second request joins the running
 * one), then the first page is enqueued on `jobs`.
 */
import { and, eq } from "drizzle-orm";
import { syncRuns } from "../db/schema";
import { type SyncKind, startSyncRun } from "../db/sync-runs";
import type { CoachScope } from "../env";
import { enqueueJob } from "../queues/job";
import { IMPORT_WINDOW, SYNC_WINDOW, windowAround } from "./reconcile";

export async function startSync(env: Env, scope: CoachScope, kind: SyncKind, now = new Date()) {
  const running = await scope.db.query.syncRuns.findFirst({
    where: and(eq(syncRuns.coachId, scope.coachId), eq(syncRuns.status, "running")),
  });
  if (running) return { runId: running.id, started: false };
  const window = windowAround(now, kind === "import" ? IMPORT_WINDOW : SYNC_WINDOW);
  const runId = await startSyncRun(scope, kind, window);
  await enqueueJob(env, { type: "calendly.sync", coachId: scope.coachId, runId });
  return { runId, started: true };
}
