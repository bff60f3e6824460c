/**
 * The `zoom.sync_meeting` job (worker/queues/jobs.ts): one pass of ./sync.ts over one meeting row.
 * A Zoom outage or limit throws, so the queue retries at the row's `retry_at` and, after its last
 * delivery, dead-letters (the operator sees it; the coach sees "Retry"). Other jobs for the row
 * meanwhile wait for that time instead of calling Zoom. A refusal that retrying
 * cannot fix goes to the dead letters at once; a coach who must reconnect is told on the session.
 */
import type { CoachScope } from "../../env";
import { getMeetingRow } from "./store";
import { syncMeetingRow } from "./sync";

/** Another job holds the row: look again once it is done (its lease is at most a minute). */
const BUSY_DELAY_S = 10;
/** The longest delay a queue message may carry is 24 h; stay well inside it. */
const MAX_DELAY_S = 12 * 3600;

export async function runZoomMeetingJob(
  env: Env,
  scope: CoachScope,
  job: { type: "zoom.sync_meeting"; coachId: string; meetingId: string },
  attempts: number,
): Promise<void> {
  const outcome = await syncMeetingRow(env, scope, job.meetingId, { attempts });
  if (outcome === "busy") await env.JOBS.send(job, { delaySeconds: BUSY_DELAY_S });
  if (outcome === "deferred") {
    // Come back when the planned retry is due (this may be that retry, back early).
    const row = await getMeetingRow(scope, job.meetingId);
    const wait = row?.retryAt ? Math.ceil((row.retryAt.getTime() - Date.now()) / 1000) : 0;
    await env.JOBS.send(job, { delaySeconds: Math.min(MAX_DELAY_S, Math.max(BUSY_DELAY_S, wait)) });
  }
  if (outcome === "failed") {
    await env.DEAD_LETTERS.send({ queue: "jobs", id: `zoom:${job.meetingId}`, body: job });
  }
}
