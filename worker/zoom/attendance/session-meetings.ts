/**
 * Which Zoom meeting serves which session: read from `zoom_meetings` (../meetings/store.ts owns it;
 * a reschedule moves the row to the new session, so the row's session is the one attendance is for).
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { zoomMeetings } from "../../db/schema";
import type { CoachScope } from "../../env";

export async function zoomMeetingIdsOfSession({ db, coachId }: CoachScope, sessionId: string) {
  const rows = await db
    .select({ meetingId: zoomMeetings.zoomMeetingId })
    .from(zoomMeetings)
    .where(
      and(
        eq(zoomMeetings.coachId, coachId),
        eq(zoomMeetings.sessionId, sessionId),
        isNotNull(zoomMeetings.zoomMeetingId),
      ),
    );
  return rows.flatMap((r) => (r.meetingId ? [r.meetingId] : []));
}

export async function sessionIdsOfZoomMeeting({ db, coachId }: CoachScope, meetingId: string) {
  const rows = await db
    .selectDistinct({ sessionId: zoomMeetings.sessionId })
    .from(zoomMeetings)
    .where(and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.zoomMeetingId, meetingId)));
  return rows.map((r) => r.sessionId);
}
