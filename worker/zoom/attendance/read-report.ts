/**
 * The `attendance.read_report` job: after an instance ended (or its scheduled end + grace passed —
 * `meeting.ended` can be lost) read Zoom's own record of it to repair lost webhooks: the instance's
 * actual start and end (GET /past_meetings/{uuid}) and its participants report (every page). Zoom
 * publishes the report minutes after the end, so 404 `3001` means "later" (with backoff, then
 * given up: the webhooks are all there is); a plan without reports (Basic host) is a known state,
 * "unavailable", and the verdicts say "unknown" where the webhooks alone cannot tell. Afterwards the
 * session's verdicts are evaluated and new no-show proposals recorded.
 */
import { and, eq } from "drizzle-orm";
import { zoomMeetingInstances } from "../../db/schema";
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/log";
import type { ZoomClient } from "../client";
import { ZOOM_MEETING_NOT_FOUND } from "../errors";
import { entriesFromReport, ReportParticipant } from "./from-zoom";
import { recordProposals } from "./reviews";
import { sessionIdsOfZoomMeeting } from "./session-meetings";
import { recordReport } from "./store";

const MIN = 60_000;
/** 404 3001 retries: 5, 10, 20, 40, 80 min after each other (Zoom's report is usually minutes late). */
const MAX_NOT_YET = 5;
const notYetDelayMs = (attempts: number) => 5 * MIN * 2 ** Math.max(0, attempts - 1);

const zoomCode = (err: unknown) =>
  err instanceof AppError
    ? (err.details as { zoomCode?: number } | undefined)?.zoomCode
    : undefined;
const isPlanLimit = (err: unknown) =>
  err instanceof AppError &&
  err.code === "forbidden" &&
  (err.details as { reason?: string } | undefined)?.reason === "plan";

type Instance = typeof zoomMeetingInstances.$inferSelect;

async function setReport(scope: CoachScope, uuid: string, set: Partial<Instance>) {
  await scope.db
    .update(zoomMeetingInstances)
    .set({ ...set, updatedAt: new Date() })
    .where(
      and(eq(zoomMeetingInstances.coachId, scope.coachId), eq(zoomMeetingInstances.uuid, uuid)),
    );
}

/** Reads the report into the timeline; what became of the read. */
async function readReport(scope: CoachScope, zoom: ZoomClient, inst: Instance, now: number) {
  try {
    const past = await zoom.pastMeeting(inst.uuid);
    const startedAt = Date.parse(past.start_time ?? "");
    const endedAt = Date.parse(past.end_time ?? "");
    await setReport(scope, inst.uuid, {
      ...(Number.isFinite(startedAt) && !inst.startedAt ? { startedAt: new Date(startedAt) } : {}),
      ...(Number.isFinite(endedAt) && !inst.endedAt ? { endedAt: new Date(endedAt) } : {}),
    });
    let pageToken: string | undefined;
    do {
      const page = await zoom.pastMeetingParticipants(inst.uuid, pageToken);
      const rows = page.items.flatMap((p) => {
        const r = ReportParticipant.safeParse(p);
        return r.success ? [r.data] : [];
      });
      await recordReport(scope, inst.meetingId, entriesFromReport(inst.uuid, rows));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    await setReport(scope, inst.uuid, { reportState: "fetched", reportDueAt: null });
    return "fetched" as const;
  } catch (err) {
    if (isPlanLimit(err)) {
      await setReport(scope, inst.uuid, { reportState: "unavailable", reportDueAt: null });
      return "unavailable" as const;
    }
    if (zoomCode(err) !== ZOOM_MEETING_NOT_FOUND) throw err; // the queue retries; the lease lapses
    const attempts = inst.reportAttempts + 1;
    const gaveUp = attempts >= MAX_NOT_YET;
    await setReport(scope, inst.uuid, {
      reportAttempts: attempts,
      reportState: gaveUp ? "gone" : "pending",
      reportDueAt: gaveUp ? null : new Date(now + notYetDelayMs(attempts)),
    });
    return gaveUp ? ("gone" as const) : ("not_yet" as const);
  }
}

export async function runReadReport(
  scope: CoachScope,
  zoom: ZoomClient,
  uuid: string,
  now = Date.now(),
) {
  const [inst] = await scope.db
    .select()
    .from(zoomMeetingInstances)
    .where(
      and(eq(zoomMeetingInstances.coachId, scope.coachId), eq(zoomMeetingInstances.uuid, uuid)),
    )
    .limit(1);
  if (!inst) return null;
  const outcome =
    inst.reportState === "pending" ? await readReport(scope, zoom, inst, now) : inst.reportState;
  for (const sessionId of await sessionIdsOfZoomMeeting(scope, inst.meetingId))
    await recordProposals(scope, sessionId, now);
  log.info("zoom.attendance_report", { coachId: scope.coachId, outcome });
  return outcome;
}
