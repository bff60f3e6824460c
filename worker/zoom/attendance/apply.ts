/**
 * A stored Zoom webhook → the attendance timeline. Called by apply-zoom-event.ts for the meeting
 * and participant events (ZOOM_EVENT_KINDS) once the coach is known; idempotent (the timeline's
 * dedupe key), so the consumer may apply a row again.
 */
import type { CoachScope } from "../../env";
import { entryFromWebhook } from "./from-zoom";
import { recordSignal } from "./store";
import { ZOOM_EVENT_KINDS } from "./timeline";

export const isAttendanceEvent = (event: string) => event in ZOOM_EVENT_KINDS;

/** Whether the payload was an attendance signal (and is now stored). */
export async function applyAttendanceEvent(scope: CoachScope, body: unknown): Promise<boolean> {
  const signal = entryFromWebhook(body);
  if (!signal) return false;
  await recordSignal(scope, signal);
  return true;
}
