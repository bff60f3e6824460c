/**
 * Which Zoom meeting serves which session: read from `zoom_meetings` (../meetings/store.ts owns it;
 * a reschedule moves the row to the new session, so the row's session is the one attendance is for).
 */
import { sql } from "drizzle-orm";
import type { CoachScope } from "../../env";

export async function zoomMeetingIdsOfSession({ db, coachId }: CoachScope, sessionId: string) {
  const rows = await db.all<{ meetingId: string }>(sql`
    select zoom_meeting_id as meetingId from zoom_meetings
      where coach_id = ${coachId} and session_id = ${sessionId} and zoom_meeting_id is not null`);
  return rows.map((r) => r.meetingId);
}

export async function sessionIdsOfZoomMeeting({ db, coachId }: CoachScope, meetingId: string) {
  const rows = await db.all<{ sessionId: string }>(sql`
    select distinct session_id as sessionId from zoom_meetings
      where coach_id = ${coachId} and zoom_meeting_id = ${meetingId}`);
  return rows.map((r) => r.sessionId);
}
