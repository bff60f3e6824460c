/**
 * The Zoom meeting a message should point the client to: the chain's meeting row serving the
 * session (worker/zoom/meetings), once Zoom confirmed it (`ready`). Calendly's own location has no
 * join link when Kairos creates the meeting, so without this a client never got one.
 */
import { and, desc, eq } from "drizzle-orm";
import { zoomMeetings } from "../db/schema";
import type { CoachScope } from "../env";

export type ZoomLink = { joinUrl: string; passcode: string | null };

export async function readyZoomLink(
  { db, coachId }: CoachScope,
  sessionId: string,
): Promise<ZoomLink | null> {
  const row = await db
    .select({ joinUrl: zoomMeetings.joinUrl, passcode: zoomMeetings.passcode })
    .from(zoomMeetings)
    .where(
      and(
        eq(zoomMeetings.coachId, coachId),
        eq(zoomMeetings.sessionId, sessionId),
        eq(zoomMeetings.status, "ready"),
      ),
    )
    .orderBy(desc(zoomMeetings.updatedAt))
    .get();
  return row?.joinUrl ? { joinUrl: row.joinUrl, passcode: row.passcode } : null;
}
