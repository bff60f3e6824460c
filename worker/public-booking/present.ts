/** A booking as its client sees it: times, names, and the links to manage it or add it to a calendar. */
import { eq } from "drizzle-orm";
import type { BookingIntent } from "../db/booking-intents";
import type { Database } from "../db/client";
import { bookingIntents, coaches, eventTypes } from "../db/schema";
import type { PublicBooking } from "../schemas/public";
import { type CalendarEntry, googleCalendarUrl, outlookCalendarUrl } from "./calendar-links";
import { issueManageToken } from "./tokens";

/** A manage link keeps working until 30 days after the session. */
const MANAGE_GRACE_MS = 30 * 86_400_000;

export type BookingNames = {
  coach: { slug: string; name: string };
  eventType: { slug: string; name: string; durationMinutes: number };
};

export function calendarEntry(intent: BookingIntent, names: BookingNames, manageUrl: string) {
  return {
    uid: `${intent.id}@kairos`,
    title: `${names.eventType.name} with ${names.coach.name}`,
    start: intent.startTime,
    end: intent.endTime,
    description: "Booked through Kairos. Change or cancel it here:",
    url: manageUrl,
    organizer: { name: names.coach.name },
  } satisfies CalendarEntry;
}

export async function presentBooking(
  env: Env,
  intent: BookingIntent,
  names: BookingNames,
): Promise<PublicBooking> {
  const token = await issueManageToken(
    env.SESSION_SECRET,
    intent.id,
    intent.endTime.getTime() + MANAGE_GRACE_MS,
  );
  const manageUrl = `${env.APP_URL}/manage/${token}`;
  const entry = calendarEntry(intent, names, manageUrl);
  return {
    id: intent.id,
    status: intent.status,
    startTime: intent.startTime.toISOString(),
    endTime: intent.endTime.toISOString(),
    timeZone: intent.timeZone,
    name: intent.name,
    eventType: names.eventType,
    coach: names.coach,
    manageUrl,
    icsUrl: `${env.APP_URL}/api/public/bookings/${token}/calendar.ics`,
    googleCalendarUrl: googleCalendarUrl(entry),
    outlookCalendarUrl: outlookCalendarUrl(entry),
    rescheduleUrl: intent.rescheduleUrl,
    seriesId: intent.seriesId,
  };
}

/** A booking with the names it is shown with (the event type may since have left Calendly). */
export async function loadBooking(db: Database, id: string) {
  const [row] = await db
    .select({ intent: bookingIntents, coach: coaches, eventType: eventTypes })
    .from(bookingIntents)
    .innerJoin(coaches, eq(coaches.id, bookingIntents.coachId))
    .leftJoin(eventTypes, eq(eventTypes.id, bookingIntents.eventTypeId))
    .where(eq(bookingIntents.id, id));
  if (!row) return null;
  const names: BookingNames = {
    coach: { slug: row.coach.slug, name: row.coach.name },
    eventType: {
      slug: row.eventType?.slug ?? "",
      name: row.eventType?.name ?? "Session",
      durationMinutes: Math.round(
        (row.intent.endTime.getTime() - row.intent.startTime.getTime()) / 60_000,
      ),
    },
  };
  return { intent: row.intent, names, kind: row.eventType?.kind ?? "solo" };
}
