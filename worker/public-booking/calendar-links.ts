/**
 * "Add to calendar" for a client: an .ics file (ical-generator, RFC 5545) and Google / Outlook
 * links. Times are UTC; calendars show them in the client's own zone.
 */
import ical, { ICalCalendarMethod } from "ical-generator";
import { icsText } from "../exports/ics-text";

export type CalendarEntry = {
  uid: string;
  title: string;
  start: Date;
  end: Date;
  description: string;
  url: string;
  organizer: { name: string };
};

export function icsFor(entry: CalendarEntry, method = ICalCalendarMethod.PUBLISH): string {
  const calendar = ical({ name: icsText(entry.title), prodId: "//Kairos//Booking//EN", method });
  calendar.createEvent({
    id: icsText(entry.uid),
    start: entry.start,
    end: entry.end,
    summary: entry.title,
    description: entry.description,
    url: entry.url,
  });
  return calendar.toString();
}

const compactUtc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

export function googleCalendarUrl(entry: CalendarEntry): string {
  const url = new URL("https://calendar.google.com/calendar/render");
  url.search = new URLSearchParams({
    action: "TEMPLATE",
    text: entry.title,
    dates: `${compactUtc(entry.start)}/${compactUtc(entry.end)}`,
    details: `${entry.description}\n${entry.url}`,
  }).toString();
  return url.toString();
}

export function outlookCalendarUrl(entry: CalendarEntry): string {
  const url = new URL("https://outlook.live.com/calendar/0/deeplink/compose");
  url.search = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: entry.title,
    startdt: entry.start.toISOString(),
    enddt: entry.end.toISOString(),
    body: `${entry.description}\n${entry.url}`,
  }).toString();
  return url.toString();
}
