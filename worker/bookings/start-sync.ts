/**
 * Starting a reconcile run: at most one running run per coach (a second request joins the running
 * one), then the first page is enqueued on `jobs`.
 *
 * A run can never wedge the coach's sync: a run that shows no progress for STALE_AFTER_MS (its
 * message was lost in a restart, or died between steps) is failed and a fresh one starts; a run
 * whose first enqueue fails is failed at once; a dead-lettered page fails its run (queues/index.ts).
 */
import {
  failSyncRun,
  findRunningSyncRun,
  lastProgress,
  type SyncKind,
  startSyncRun,
} from "../db/sync-runs";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { enqueueJob } from "../queues/job";
import { IMPORT_WINDOW, SYNC_WINDOW, windowAround } from "./reconcile";

export const STALE_AFTER_MS = 15 * 60_000;

export async function startSync(env: Env, scope: CoachScope, kind: SyncKind, now = new Date()) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const running = await findRunningSyncRun(scope);
    if (running) {
      if (now.getTime() - lastProgress(running).getTime() < STALE_AFTER_MS) {
        return { runId: running.id, started: false };
      }
      await failSyncRun(scope, running.id, "No progress for 15 minutes; a new run replaced it.");
    }
    const window = windowAround(now, kind === "import" ? IMPORT_WINDOW : SYNC_WINDOW);
    const runId = await startSyncRun(scope, kind, window, now);
    // null: another request started a run between our read and our insert; look again and join it.
    if (!runId) continue;
    try {
      await enqueueJob(env, { type: "calendly.sync", coachId: scope.coachId, runId });
    } catch (err) {
      await failSyncRun(scope, runId, "Could not queue the sync; try again.");
      throw err;
    }
    return { runId, started: true };
  }
  throw new AppError("conflict", "Another sync is starting; try again in a moment.");
}
