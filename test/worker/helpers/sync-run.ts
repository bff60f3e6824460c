/**
 * Runs one reconcile of `window` to its end, page by page, in the test's own isolate. A coach has at
 * most one running run, so whatever the sign-in started (the queued import) is finished first.
 */
import { env } from "cloudflare:workers";
import { syncNextPage } from "../../../worker/bookings/reconcile";
import { startSyncRun } from "../../../worker/db/sync-runs";
import type { CoachScope } from "../../../worker/env";

export async function syncWindow(scope: CoachScope, window: { start: Date; end: Date }) {
  await env.DB.prepare(
    "update sync_runs set status = 'done' where coach_id = ? and status = 'running'",
  )
    .bind(scope.coachId)
    .run();
  const runId = await startSyncRun(scope, "manual", window);
  if (!runId) throw new Error("a sync run started while the test was starting its own");
  for (let page = 0; page < 30 && !(await syncNextPage(env, scope, runId)).done; page++);
  return runId;
}
