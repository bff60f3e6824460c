/**
 * Applies one stored Zoom webhook event for its coach (the webhook-events consumer calls this for
 * every Zoom row that found a coach). One switch on the event name; an event Kairos does not act
 * on is kept as received and nothing more. Applying must be idempotent: deliveries repeat.
 */
import type { AppliedChange } from "../bookings/apply-calendly-event";
import type { CoachScope } from "../env";
import { applyAttendanceEvent, isAttendanceEvent } from "./attendance/apply";
import { honourDeauthorization } from "./deauthorization";
import type { ZoomEnvelope } from "./webhook-envelope";

export async function applyZoomEvent(
  env: Env,
  scope: CoachScope,
  envelope: ZoomEnvelope,
): Promise<AppliedChange[]> {
  switch (envelope.event) {
    case "app_deauthorized":
      await honourDeauthorization(env, scope, envelope.payload);
      return [];
    default:
      // Meeting and participant events: the attendance timeline (./attendance/apply.ts).
      if (isAttendanceEvent(envelope.event)) await applyAttendanceEvent(scope, envelope);
      return [];
  }
}
