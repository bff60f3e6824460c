/**
 * What a coach can do to a session's Zoom meeting: retry now (after a failure, or to make a meeting
 * the session should have), and recreate it (the old meeting is deleted in Zoom first, then a new
 * one is made; the client needs the new link). Both run the sync at once and hand any further
 * retries to the `zoom.sync_meeting` job.
 */
import { and, eq } from "drizzle-orm";
import { sessions } from "../../db/schema";
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import { enqueueJob, enqueueJobs } from "../../queues/job";
import type { SessionZoom } from "../../schemas/zoom-meetings";
import { zoomFor } from "../client";
import { rowsToSync, syncJob } from "./reactor";
import {
  bookingIdOf,
  claimMeetingRow,
  getMeetingRow,
  meetingRowOfSession,
  pendingMeetingRows,
  updateMeetingRow,
} from "./store";
import { summaryOf } from "./summary";
import { isMeetingGone, lookUp, syncMeetingRow } from "./sync";
import { targetsOfSession } from "./targets";

async function sessionOrThrow({ db, coachId }: CoachScope, sessionId: string) {
  const session = await db.query.sessions.findFirst({
    where: and(eq(sessions.coachId, coachId), eq(sessions.id, sessionId)),
  });
  if (!session) throw new AppError("not_found", "Session not found.");
  return session;
}

/** The session's meeting row, writing its intent when the session should have one. */
async function rowIdFor(scope: CoachScope, sessionId: string): Promise<string> {
  const existing = await meetingRowOfSession(scope, sessionId);
  if (existing && existing.status !== "deleted") return existing.id;
  for (const target of await targetsOfSession(scope, sessionId)) {
    const [id] = await rowsToSync(scope, target);
    if (id) return id;
  }
  throw new AppError(
    "conflict",
    "This session has no Zoom meeting to make: its event type does not use Zoom, or it is over.",
  );
}

/** Runs one sync now; a failure stays on the row and the job keeps retrying on schedule. */
async function syncNow(env: Env, scope: CoachScope, rowId: string): Promise<SessionZoom | null> {
  try {
    const outcome = await syncMeetingRow(env, scope, rowId, { force: true });
    if (outcome === "busy") await enqueueJob(env, syncJob(scope.coachId, rowId));
  } catch {
    const row = await getMeetingRow(scope, rowId);
    const delaySeconds = row?.retryAt
      ? Math.max(1, Math.ceil((row.retryAt.getTime() - Date.now()) / 1000))
      : 60;
    await env.JOBS.send(syncJob(scope.coachId, rowId), { delaySeconds });
  }
  return summaryOf(await getMeetingRow(scope, rowId));
}

export async function retryZoomMeeting(env: Env, scope: CoachScope, sessionId: string) {
  await sessionOrThrow(scope, sessionId);
  return syncNow(env, scope, await rowIdFor(scope, sessionId));
}

export async function recreateZoomMeeting(env: Env, scope: CoachScope, sessionId: string) {
  const session = await sessionOrThrow(scope, sessionId);
  if (session.status !== "active" || session.endsAt.getTime() <= Date.now()) {
    throw new AppError("conflict", "Only a session that is still ahead can get a new meeting.");
  }
  const rowId = await rowIdFor(scope, sessionId);
  const row = await claimMeetingRow(scope, rowId);
  if (!row) {
    throw new AppError("conflict", "Kairos is updating this meeting right now; try again shortly.");
  }
  try {
    // The old meeting goes first: a failure here leaves everything as it was. A create whose
    // reply was lost has no id yet, so it is found by its marker; one the coach already deleted
    // in Zoom (404 3001) is as good as deleted.
    if (row.status !== "deleted") {
      const zoom = zoomFor(env, scope.coachId);
      const oldId =
        row.zoomMeetingId ??
        (row.createStartedAt ? await lookUp(zoom, bookingIdOf(row.meetingKey)) : null);
      if (oldId) {
        await zoom.deleteMeeting(oldId).catch((err: unknown) => {
          if (!isMeetingGone(err)) throw err;
        });
      }
    }
    await updateMeetingRow(scope, rowId, {
      zoomMeetingId: null,
      zoomUuid: null,
      joinUrl: null,
      passcode: null,
      startsAt: null,
      durationMinutes: null,
      topic: null,
      status: "creating",
      // The old meeting is gone, so a look-up by marker can only find what this recreate makes.
      createStartedAt: null,
      error: null,
      retryAt: null,
      lockedUntil: null,
    });
  } catch (err) {
    await updateMeetingRow(scope, rowId, { lockedUntil: null });
    throw err;
  }
  return syncNow(env, scope, rowId);
}

/**
 * After Zoom is connected again: every meeting still waiting (failed for want of a grant, or
 * mid-retry) is synced now instead of at its old time. For the Zoom connect callback to call.
 */
export async function resumeZoomMeetings(env: Env, scope: CoachScope): Promise<number> {
  const rows = await pendingMeetingRows(scope);
  await Promise.all(rows.map((r) => updateMeetingRow(scope, r.id, { retryAt: null })));
  return enqueueJobs(
    env,
    rows.map((r) => syncJob(scope.coachId, r.id)),
  );
}
