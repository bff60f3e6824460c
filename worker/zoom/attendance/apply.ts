/**
 * A stored Zoom webhook → the attendance timeline. Called by apply-zoom-event.ts for the meeting
 * and participant events (ZOOM_EVENT_KINDS) once the coach is known; idempotent (the timeline's
 * dedupe key), so the consumer may apply a row again. Zoom sends every meeting of the coach's Zoom
 * user, private ones included: a signal is kept only for a meeting Kairos made for this coach
 * (`zoom_meetings`), so other people's names and emails are never stored nor their reports read.
 */
import type { CoachScope } from "../../env";
import { entryFromWebhook } from "./from-zoom";
import { sessionIdsOfZoomMeeting } from "./session-meetings";
import { recordSignal } from "./store";
import { ZOOM_EVENT_KINDS } from "./timeline";

export const isAttendanceEvent = (event: string) => event in ZOOM_EVENT_KINDS;

/** Whether the payload was an attendance signal of a Kairos meeting (and is now stored). */
export async function applyAttendanceEvent(scope: CoachScope, body: unknown): Promise<boolean> {
  const signal = entryFromWebhook(body);
  if (!signal) return false;
  if (!signal.meetingId || (await sessionIdsOfZoomMeeting(scope, signal.meetingId)).length === 0)
    return false;
  await recordSignal(scope, signal);
  return true;
}
