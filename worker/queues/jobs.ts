/**
 * The `jobs` queue: one discriminated union shared by producers (routes, crons) and this consumer.
 * Each message settles on its own; unknown bodies go to dead-letters, failures retry with backoff.
 */
import { z } from "zod";
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

export const Job = z.discriminatedUnion("type", [
  z.object({ type: z.literal("calendly.ensure_subscription"), coachId: z.string() }),
  z.object({ type: z.literal("calendly.sync"), coachId: z.string(), runId: z.string() }),
  z.object({ type: z.literal("calendly.refresh_token"), coachId: z.string() }),
  z.object({ type: z.literal("tokens.rekey"), coachId: z.string() }),
  z.object({ type: z.literal("booking.resolve"), coachId: z.string(), bookingId: z.string() }),
]);
export type Job = z.infer<typeof Job>;

export const enqueueJob = (env: Env, job: Job) => env.JOBS.send(job);

/** Fan-out: sends in chunks of 100 (the queue's batch limit); returns how many were sent. */
export async function enqueueJobs(env: Env, jobs: Job[]): Promise<number> {
  for (let i = 0; i < jobs.length; i += 100) {
    await env.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
  }
  return jobs.length;
}

async function runJob(env: Env, job: Job) {
  const scope = { db: createDb(env.DB), coachId: job.coachId };
  switch (job.type) {
    case "calendly.ensure_subscription": {
      const result = await ensureCalendlySubscription(env, scope);
      // Webhooks were not arriving while the subscription was gone: reconcile the gap.
      if (result.action === "recreated") await startSync(env, scope, "manual");
      return;
    }
    case "calendly.refresh_token":
      return accessTokenFor(env, job.coachId, "calendly", BACKGROUND_REFRESH_WINDOW_MS);
    case "tokens.rekey":
      return unwrap(await coachGuard(env, job.coachId).rekey(job.coachId));
    case "booking.resolve":
      return resolveStuckBooking(env, job.bookingId);
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
      await runJob(env, job.data);
      msg.ack();
    } catch (err) {
      // A coach who must reconnect cannot be helped by retrying; everything else can.
      const hopeless = err instanceof AppError && err.code === "reconnect_required";
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
