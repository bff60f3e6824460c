/**
 * The attendance timeline in D1, always scoped to one coach: signals from webhooks and report rows
 * (each stored once: unique dedupe key, `ON CONFLICT DO NOTHING`, so repeats and reorders are
 * harmless), and the meeting instances they belong to, which also say when the participants report
 * is next due to be read.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { inChunks } from "../../db/client";
import { zoomAttendanceEvents, zoomMeetingInstances } from "../../db/schema";
import type { CoachScope } from "../../env";
import { newId } from "../../lib/ids";
import type { ZoomSignal } from "./from-zoom";
import type { TimelineEntry, TimelineKind } from "./timeline";
import type { InstanceFacts } from "./verdicts";

const MIN = 60_000;
/** Zoom publishes the participants report minutes after the end: the first read waits this long. */
export const REPORT_AFTER_END_MS = 2 * MIN;
/** Without `meeting.ended`, the report is first read this long after the scheduled end. */
export const REPORT_AFTER_SCHEDULED_END_MS = 15 * MIN;

function dedupeKey(e: TimelineEntry): string {
  const w = e.who;
  const who = w ? w.participantUuid || w.zoomUserId || w.email.toLowerCase() || w.name : "";
  const tail = e.kind === "report_row" ? [e.leaveAt, e.reportStatus] : [];
  return ["zoom", e.kind, e.meetingUuid, who, e.at, ...tail].join("|");
}

function eventRow(coachId: string, meetingId: string, e: TimelineEntry) {
  return {
    id: newId("zae"),
    coachId,
    meetingId,
    meetingUuid: e.meetingUuid,
    kind: e.kind,
    at: new Date(e.at),
    leaveAt: e.leaveAt === undefined ? null : new Date(e.leaveAt),
    reportStatus: e.reportStatus ?? null,
    zoomUserId: e.who?.zoomUserId ?? "",
    name: e.who?.name ?? "",
    email: e.who?.email ?? "",
    registrantId: e.who?.registrantId ?? "",
    participantUuid: e.who?.participantUuid ?? "",
    dedupeKey: dedupeKey(e),
  };
}

/**
 * Stores one webhook signal and brings its instance up to date: the earliest start, the end, and
 * when to read the report (soon after the end; else after the scheduled end — `meeting.ended` can
 * be lost). Both statements are idempotent, so a redelivery changes nothing.
 */
export async function recordSignal({ db, coachId }: CoachScope, s: ZoomSignal) {
  const startedAt = s.kind === "meeting_started" ? s.at : null;
  const endedAt = s.kind === "meeting_ended" ? s.at : null;
  const dueAt =
    endedAt !== null
      ? endedAt + REPORT_AFTER_END_MS
      : s.at + s.durationMinutes * MIN + REPORT_AFTER_SCHEDULED_END_MS;
  const t = zoomMeetingInstances;
  await db.batch([
    db
      .insert(zoomAttendanceEvents)
      .values(eventRow(coachId, s.meetingId, s))
      .onConflictDoNothing(),
    db
      .insert(t)
      .values({
        uuid: s.meetingUuid,
        coachId,
        meetingId: s.meetingId,
        hostId: s.hostId,
        startedAt: startedAt === null ? null : new Date(startedAt),
        endedAt: endedAt === null ? null : new Date(endedAt),
        reportDueAt: new Date(dueAt),
      })
      .onConflictDoUpdate({
        target: t.uuid,
        set: {
          startedAt: sql`case when ${t.startedAt} is null then excluded.started_at
            when excluded.started_at is null then ${t.startedAt}
            else min(${t.startedAt}, excluded.started_at) end`,
          endedAt: sql`coalesce(excluded.ended_at, ${t.endedAt})`,
          hostId: sql`case when ${t.hostId} = '' then excluded.host_id else ${t.hostId} end`,
          // The end, once known, brings the first read forward; a read under way keeps its time.
          reportDueAt: sql`case when ${t.reportState} <> 'pending' then ${t.reportDueAt}
            when excluded.ended_at is not null and ${t.reportAttempts} = 0 then excluded.report_due_at
            else coalesce(${t.reportDueAt}, excluded.report_due_at) end`,
          updatedAt: new Date(),
        },
        setWhere: eq(t.coachId, coachId),
      }),
  ]);
}

/** Stores the participants report's rows (a re-read stores nothing new). */
export async function recordReport(
  { db, coachId }: CoachScope,
  meetingId: string,
  entries: TimelineEntry[],
) {
  const rows = entries.map((e) => eventRow(coachId, meetingId, e));
  // 15 columns a row: 6 rows a statement stays under D1's 100 bound parameters.
  for (let i = 0; i < rows.length; i += 6) {
    await db
      .insert(zoomAttendanceEvents)
      .values(rows.slice(i, i + 6))
      .onConflictDoNothing();
  }
}

export type Timeline = { instances: InstanceFacts[]; entries: TimelineEntry[]; hostIds: string[] };

/** Everything stored for these Zoom meetings (every instance of each). */
export async function loadTimeline(
  { db, coachId }: CoachScope,
  meetingIds: string[],
): Promise<Timeline> {
  if (meetingIds.length === 0) return { instances: [], entries: [], hostIds: [] };
  const instances = await inChunks(meetingIds, (ids) =>
    db
      .select()
      .from(zoomMeetingInstances)
      .where(
        and(
          eq(zoomMeetingInstances.coachId, coachId),
          inArray(zoomMeetingInstances.meetingId, ids),
        ),
      ),
  );
  const rows = await inChunks(meetingIds, (ids) =>
    db
      .select()
      .from(zoomAttendanceEvents)
      .where(
        and(
          eq(zoomAttendanceEvents.coachId, coachId),
          inArray(zoomAttendanceEvents.meetingId, ids),
        ),
      ),
  );
  return {
    instances: instances.map((i) => ({
      uuid: i.uuid,
      startedAt: i.startedAt?.getTime() ?? null,
      endedAt: i.endedAt?.getTime() ?? null,
    })),
    hostIds: [...new Set(instances.map((i) => i.hostId).filter(Boolean))],
    entries: rows.map((r) => ({
      kind: r.kind as TimelineKind,
      meetingUuid: r.meetingUuid,
      at: r.at.getTime(),
      ...(r.leaveAt ? { leaveAt: r.leaveAt.getTime() } : {}),
      ...(r.reportStatus
        ? { reportStatus: r.reportStatus as "in_meeting" | "in_waiting_room" }
        : {}),
      who:
        r.kind === "meeting_started" || r.kind === "meeting_ended"
          ? null
          : {
              zoomUserId: r.zoomUserId,
              name: r.name,
              email: r.email,
              registrantId: r.registrantId,
              participantUuid: r.participantUuid,
            },
    })),
  };
}

/** Data compliance (Zoom app uninstalled without retention): the coach's attendance data goes. */
export async function forgetAttendance({ db, coachId }: CoachScope) {
  await db.batch([
    db.delete(zoomAttendanceEvents).where(eq(zoomAttendanceEvents.coachId, coachId)),
    db.delete(zoomMeetingInstances).where(eq(zoomMeetingInstances.coachId, coachId)),
  ]);
}
