/**
 * The `jobs` queue's messages: one discriminated union shared by producers (routes, crons) and the
 * consumer (./jobs.ts). Producers import only this module, so nothing they use imports a consumer.
 */
import { z } from "zod";

export const Job = z.discriminatedUnion("type", [
  z.object({ type: z.literal("calendly.ensure_subscription"), coachId: z.string() }),
  z.object({ type: z.literal("calendly.sync"), coachId: z.string(), runId: z.string() }),
  /** The coach's scheduled reconcile is due (cron/due-syncs.ts claimed it): start or join a run. */
  z.object({ type: z.literal("calendly.sync_due"), coachId: z.string() }),
  z.object({ type: z.literal("calendly.refresh_token"), coachId: z.string() }),
  z.object({ type: z.literal("tokens.rekey"), coachId: z.string() }),
  z.object({ type: z.literal("booking.resolve"), coachId: z.string(), bookingId: z.string() }),
  z.object({
    type: z.literal("batch.item"),
    coachId: z.string(),
    batchId: z.string(),
    sessionId: z.string(),
  }),
  /** Bring one Zoom meeting (a `zoom_meetings` row, "zmt_…") to what its booking needs now. */
  z.object({
    type: z.literal("zoom.sync_meeting"),
    coachId: z.string(),
    meetingId: z.string(),
  }),
  /** Read an ended Zoom instance's participants report, then evaluate its session (attendance). */
  z.object({ type: z.literal("attendance.read_report"), coachId: z.string(), uuid: z.string() }),
  /** A proposed no-show whose auto-confirm time came: confirm it unless the verdict changed. */
  z.object({
    type: z.literal("attendance.auto_confirm"),
    coachId: z.string(),
    sessionId: z.string(),
    inviteeId: z.string(),
  }),
  /** One recorded domain event for one reactor (../reactions/dispatch.ts). */
  z.object({
    type: z.literal("reaction"),
    reactor: z.string(),
    coachId: z.string(),
    domainEventId: z.string(),
  }),
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
