/**
 * iCalendar export of sessions (ical-generator, RFC 5545): one VEVENT per session, UID
 * "<session id>@kairos" so re-importing updates rather than duplicates, times in UTC.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { icsText } from "./ics-text";
import { type ExportSession, locationOf } from "./sessions";

export function sessionsIcs(list: ExportSession[], calendarName = "Kairos sessions"): string {
  const calendar = ical({
    name: icsText(calendarName),
    prodId: "//Kairos//Export//EN",
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const s of list) {
    const names = s.invitees.map((i) => i.name).filter(Boolean);
    const joinUrl = locationOf(s)?.joinUrl;
    calendar.createEvent({
      id: icsText(`${s.id}@kairos`),
      start: s.startsAt,
      end: s.endsAt,
      summary: names.length ? `${s.name} with ${names.join(", ")}` : s.name,
      description: s.invitees.map((i) => `${i.name} <${i.email}>`).join("\n") || null,
      status: s.status === "canceled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      url: joinUrl ?? null,
      location: joinUrl ?? null,
    });
  }
  return calendar.toString();
}
