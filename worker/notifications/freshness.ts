/**
 * Whether a one-off notice is still news (ADR 0015). A coach's first import (and any reconcile)
 * records booking.created/canceled/rescheduled for bookings Kairos only now sees; the client must
 * not be told "your booking is confirmed" for a booking made months ago, nor about a cancellation
 * of a session that is long over. Checked when the notice is planned and again when it is sent.
 */
import type { ChainBooking } from "./chain";
import type { NotificationKind } from "./kinds";

/** A change older than this is history, not news. */
export const FRESH_MS = 24 * 3_600_000;

/** What retireExtras (worker/db/bookings.ts) writes on a booking Calendly no longer lists. */
export const NOT_IN_CALENDLY_REASON = "No longer listed in Calendly";

/** Why `kind` about `booking` is no longer worth sending at `now`, or null when it is. */
export function staleReason(
  kind: NotificationKind,
  booking: ChainBooking,
  now: Date,
): string | null {
  const { invitee, session } = booking;
  const t = now.getTime();
  const old = (at: Date | null | undefined) => !!at && t - at.getTime() > FRESH_MS;
  switch (kind) {
    case "booking_confirmation":
    case "coach_new_booking":
      if (t >= session.startsAt.getTime()) return "session_started";
      // bookedAt is Calendly's created_at of the event (first sighting when it gave none).
      return old(session.bookedAt) ? "booked_long_ago" : null;
    case "reschedule_notice":
      if (t >= session.endsAt.getTime()) return "session_ended";
      // The new session's event was created by the move.
      return old(session.bookedAt) ? "change_too_old" : null;
    case "cancellation_notice":
    case "coach_cancellation": {
      if (t >= session.endsAt.getTime()) return "session_ended";
      const canceledAt =
        invitee.status === "canceled"
          ? (invitee.calendlyUpdatedAt ?? session.canceledAt)
          : (session.canceledAt ?? invitee.calendlyUpdatedAt);
      return old(canceledAt) ? "change_too_old" : null;
    }
    default:
      return null;
  }
}
