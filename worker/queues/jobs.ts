/**
 * The `jobs` queue consumer (message shapes: ./job.ts). Each message settles on its own; unknown
 * bodies go to dead-letters, failures retry with backoff (never before an upstream's `retryAt`).
 */
import { syncNextPage } from "../bookings/reconcile";
import { startSync } from "../bookings/start-sync";
import { ensureCalendlySubscription } from "../calendly/ensure-subscription";
import { BACKGROUND_REFRESH_WINDOW_MS } from "../cron/token-refresh";
import { createDb } from "../db/client";
import { failSyncRun } from "../db/sync-runs";
import { accessTokenFor, coachGuard, unwrap } from "../durable-objects/coach-guard";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { resolveStuckBooking } from "../public-booking/resolve-stuck";
import { runReaction } from "../reactions/run";
import { runBatchItem } from "../sessions/batches";
import { runAutoConfirm } from "../zoom/attendance/auto-confirm";
import { runReadReport } from "../zoom/attendance/read-report";
import { zoomFor } from "../zoom/client";
import { runZoomMeetingJob } from "../zoom/meetings/job";
import { enqueueJob, Job } from "./job";

async function runJob(env: Env, job: Job, attempts: number) {
  const scope = { db: createDb(env.DB), coachId: job.coachId };
  switch (job.type) {
    case "calendly.ensure_subscription": {
      const result = await ensureCalendlySubscription(env, scope);
      // Webhooks were not arriving while the subscription was gone: reconcile the gap.
      if (result.action === "recreated") await startSync(env, scope, "manual");
      return;
    }
    case "calendly.sync_due":
      // Joins a run already going (a manual sync, an import): never two runs for one coach.
      return startSync(env, scope, "scheduled");
    case "calendly.refresh_token":
      return accessTokenFor(env, job.coachId, "calendly", BACKGROUND_REFRESH_WINDOW_MS);
    case "tokens.rekey":
      return unwrap(await coachGuard(env, job.coachId).rekey(job.coachId));
    case "booking.resolve":
      return resolveStuckBooking(env, job.bookingId);
    case "batch.item":
      return runBatchItem(env, scope, job, attempts);
    case "reaction":
      return runReaction(env, scope, job);
    case "attendance.read_report":
      return runReadReport(scope, zoomFor(env, job.coachId), job.uuid);
    case "attendance.auto_confirm":
      return runAutoConfirm(env, scope, job);
    case "zoom.sync_meeting":
      return runZoomMeetingJob(env, scope, job, attempts);
    case "calendly.sync": {
      // One page per message, then hand over: long imports never hit a CPU limit.
      const { done } = await syncNextPage(env, scope, job.runId);
      if (!done) await enqueueJob(env, job);
      return;
    }
  }
}

export async function consumeJobs(
  batch: MessageBatch<unknown>,
  env: Env,
  backoffSeconds: (attempts: number) => number,
) {
  for (const msg of batch.messages) {
    const job = Job.safeParse(msg.body);
    if (!job.success) {
      await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
      msg.ack();
      continue;
    }
    try {
      await runJob(env, job.data, msg.attempts);
      msg.ack();
    } catch (err) {
      // A coach who must reconnect, or a configuration only an operator can fix (a missing key,
      // wrong client credentials; both logged as errors), cannot be helped by retrying.
      const hopeless =
        err instanceof AppError &&
        (err.code === "reconnect_required" || err.code === "misconfigured");
      log.warn("job.failed", {
        type: job.data.type,
        id: msg.id,
        attempts: msg.attempts,
        hopeless,
        err,
      });
      if (hopeless && job.data.type === "calendly.sync") {
        const scope = { db: createDb(env.DB), coachId: job.data.coachId };
        await failSyncRun(scope, job.data.runId, (err as AppError).message);
      }
      if (hopeless) msg.ack();
      else msg.retry({ delaySeconds: retryDelaySeconds(err, backoffSeconds(msg.attempts)) });
    }
  }
}

/** An upstream that said when to come back (429 wait, open breaker) is not retried before then. */
function retryDelaySeconds(err: unknown, backoff: number): number {
  const retryAt = err instanceof AppError ? (err.details as { retryAt?: unknown })?.retryAt : null;
  const wait =
    typeof retryAt === "string" ? Math.ceil((Date.parse(retryAt) - Date.now()) / 1000) : 0;
  return Math.min(43_200, Math.max(backoff, Number.isFinite(wait) ? wait : 0));
}
