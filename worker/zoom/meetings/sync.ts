/**
 * Brings one `zoom_meetings` row's Zoom meeting to what its booking needs now (./targets.ts), as
 * the one job holding the row's lease: create (after looking for the `kairos:<bookingId>` marker if
 * a create was ever sent, so a reply lost between Zoom's answer and our write never makes a second
 * meeting), PATCH to a new time (the same meeting and join link after a reschedule), or DELETE.
 * The outcome — ready, or failed with the reason and the next try — is written to the row.
 */
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/log";
import { safeUrl } from "../../lib/safe-url";
import { type ZoomClient, zoomFor } from "../client";
import { ZOOM_MEETING_NOT_FOUND, zoomCodeIn } from "../errors";
import type { ZoomMeeting } from "../schemas";
import { createBody, findByMarker, heldOf, type MeetingPlan, meetingPatch } from "./plan";
import { failureOf } from "./retry-policy";
import {
  bookingIdOf,
  claimMeetingRow,
  type Lease,
  leaseOf,
  type MeetingRow,
  type MeetingUpdate,
  renewLease,
  updateHeldRow,
} from "./store";
import { chainTarget, desiredOf, sessionTarget, type Target } from "./targets";

export type SyncOutcome =
  | "ready"
  | "deleted"
  | "held"
  | "busy"
  | "not_wanted"
  | "failed"
  | "needs_reconnect"
  | "deferred";

/**
 * A failed row waits for its planned retry (that job comes back at `retry_at`): any other job
 * before then leaves Zoom alone, so an outage never turns into a burst of requests. Seconds of
 * slack, since a queue's delay is not exact.
 */
const DEFER_SLACK_MS = 5_000;

export const targetOfRow = (row: MeetingRow): Target =>
  row.meetingKey.startsWith("session:")
    ? sessionTarget(row.sessionId)
    : chainTarget(row.chainId ?? row.meetingKey.slice("chain:".length));

/**
 * One pass over the row. `attempts` is the job's delivery count (1 = first): it sets the next try
 * and, past the last one, says that Kairos stopped. `force` (the coach's Retry) ignores `retry_at`. Throws (with `details.retryAt`) when the job
 * should retry or, after its last delivery, dead-letter; returns the outcome otherwise ("failed":
 * retrying cannot help — the coach must reconnect, or Zoom refused the meeting).
 */
export async function syncMeetingRow(
  env: Env,
  scope: CoachScope,
  rowId: string,
  {
    attempts = 1,
    now = new Date(),
    zoom,
    force = false,
  }: { attempts?: number; now?: Date; zoom?: ZoomClient; force?: boolean } = {},
): Promise<SyncOutcome> {
  const row = await claimMeetingRow(scope, rowId, now);
  if (!row) return "busy";
  const lease = leaseOf(row);
  if (!force && row.retryAt && row.retryAt.getTime() - now.getTime() > DEFER_SLACK_MS) {
    await updateHeldRow(scope, row.id, lease, { lockedUntil: null });
    return "deferred";
  }
  try {
    return await syncClaimed(scope, row, lease, zoom ?? zoomFor(env, scope.coachId), now);
  } catch (err) {
    // Overtaken: the job that took the row over does the work and writes the outcome.
    if (err instanceof LeaseLost) return "busy";
    const failure = failureOf(err, attempts, now);
    const written = await updateHeldRow(scope, row.id, lease, {
      status: row.status === "deleted" ? "deleted" : "failed",
      error: failure.message,
      retryAt: failure.retryAt,
      attempts: row.attempts + 1,
      lockedUntil: null,
    });
    if (!written) return "busy";
    log.warn("zoom.meeting_sync_failed", {
      coachId: scope.coachId,
      meetingRowId: row.id,
      attempts,
      transient: failure.transient,
      errorCode: err instanceof AppError ? err.code : "internal",
    });
    if (!failure.transient) {
      return err instanceof AppError && err.code === "reconnect_required"
        ? "needs_reconnect"
        : "failed";
    }
    throw new AppError(err instanceof AppError ? err.code : "internal", failure.message, {
      cause: err,
      details: { retryAt: failure.retryAt?.toISOString() },
    });
  }
}

/** The job's lease on the row lapsed and another job took it over. */
class LeaseLost extends Error {}

async function syncClaimed(
  scope: CoachScope,
  row: MeetingRow,
  lease: Lease,
  zoom: ZoomClient,
  now: Date,
): Promise<SyncOutcome> {
  const desired = await desiredOf(scope, targetOfRow(row), now);
  const release = async (u: MeetingUpdate) => {
    if (!(await updateHeldRow(scope, row.id, lease, { ...u, lockedUntil: null }))) {
      log.warn("zoom.meeting_lease_lost", { coachId: scope.coachId, meetingRowId: row.id });
    }
  };
  const settled = { error: null, retryAt: null, attempts: 0 };

  if (desired.action === "hold") {
    // Nothing to do now; a failure stays visible, but no retry is planned for it.
    await release(row.status === "failed" ? { retryAt: null } : settled);
    return "held";
  }
  if (desired.action === "remove") {
    if (row.status !== "deleted") await removeMeeting(scope, row, zoom);
    await release({ status: "deleted", ...settled });
    return "deleted";
  }
  const live = row.zoomMeetingId !== null && row.status !== "deleted";
  if (!live && !desired.wanted) {
    // The event type no longer asks for Zoom and no meeting exists: nothing to make.
    await release({ status: "deleted", ...settled });
    return "not_wanted";
  }
  const meeting = live
    ? await moveMeeting(row, desired.plan, zoom).catch((err) => {
        // Deleted in Zoom by hand: the booking still needs one, so it is made again.
        if (!isMeetingGone(err)) throw err;
        return createOnce(scope, { ...row, zoomMeetingId: null }, lease, desired.plan, zoom);
      })
    : await createOnce(scope, row, lease, desired.plan, zoom);
  await release({
    ...meeting,
    sessionId: desired.plan.sessionId,
    status: "ready",
    ...settled,
  });
  return "ready";
}

/** What a Zoom meeting object gives the row (never `start_url`: it carries the host's key). */
function stored(m: ZoomMeeting): MeetingUpdate {
  return {
    zoomMeetingId: m.id,
    zoomUuid: m.uuid ?? null,
    joinUrl: safeUrl(m.join_url),
    passcode: m.password ?? null,
    ...heldOf(m),
  };
}

/** PATCHes the held meeting to the plan (a 204, so the held fields are what was sent). */
async function moveMeeting(
  row: MeetingRow,
  plan: MeetingPlan,
  zoom: ZoomClient,
): Promise<MeetingUpdate> {
  const patch = meetingPatch(row, plan);
  if (!patch) return {};
  await zoom.updateMeeting(row.zoomMeetingId as string, patch);
  return { startsAt: plan.startsAt, durationMinutes: plan.durationMinutes, topic: plan.topic };
}

/**
 * Makes the meeting exactly once. A create that was ever sent (its reply may have been lost) is
 * first looked for by its agenda marker; only when Zoom has none is another create sent — and the
 * row says a create is out BEFORE it leaves.
 */
async function createOnce(
  scope: CoachScope,
  row: MeetingRow,
  lease: Lease,
  plan: MeetingPlan,
  zoom: ZoomClient,
): Promise<MeetingUpdate> {
  const bookingId = bookingIdOf(row.meetingKey);
  if (row.createStartedAt) {
    const found = await lookUp(zoom, bookingId);
    if (found) {
      const meeting = await zoom.getMeeting(found);
      const held = stored(meeting);
      const patch = meetingPatch(heldOf(meeting), plan);
      if (patch) await zoom.updateMeeting(found, patch);
      log.info("zoom.meeting_found_again", { coachId: scope.coachId, meetingRowId: row.id });
      return patch
        ? {
            ...held,
            startsAt: plan.startsAt,
            durationMinutes: plan.durationMinutes,
            topic: plan.topic,
          }
        : held;
    }
  }
  // A full lease for the create itself; a job that was overtaken sends none (the other one does).
  const stillHeld = await renewLease(scope, row.id, lease, {
    status: "creating",
    createStartedAt: new Date(),
  });
  if (!stillHeld) throw new LeaseLost();
  return stored(await zoom.createMeeting(createBody(plan, bookingId)));
}

/** The id of the host's meeting carrying the marker, reading every page (300 a page). */
export async function lookUp(zoom: ZoomClient, bookingId: string): Promise<string | null> {
  let pageToken: string | undefined;
  do {
    const page = await zoom.listMeetings({ pageToken, type: "scheduled" });
    const hit = findByMarker(page.items, bookingId);
    if (hit) return hit.id;
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return null;
}

async function removeMeeting(scope: CoachScope, row: MeetingRow, zoom: ZoomClient) {
  const id =
    row.zoomMeetingId ??
    (row.createStartedAt ? await lookUp(zoom, bookingIdOf(row.meetingKey)) : null);
  if (!id) return;
  await zoom.deleteMeeting(id);
  log.info("zoom.meeting_deleted", { coachId: scope.coachId, meetingRowId: row.id });
}

/** A meeting the coach deleted in Zoom answers 404 `3001` to a PATCH. */
export const isMeetingGone = (err: unknown) => zoomCodeIn(err) === ZOOM_MEETING_NOT_FOUND;
