/**
 * The .ics a message carries (iTIP over iMIP, RFC 5546/6047) built with ical-generator: one VEVENT
 * with the session's stable UID and the SEQUENCE the pipeline derives from the session version,
 * METHOD:REQUEST for a new or moved session and METHOD:CANCEL (STATUS:CANCELLED) for a canceled one.
 * Times are UTC (no VTIMEZONE needed); the coach organises, the client attends with RSVP=FALSE so
 * calendar replies stay out of the coach's inbox. The library escapes and folds every line.
 */
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalAttendeeType,
  ICalCalendarMethod,
  ICalEventStatus,
  ICalEventTransparency,
} from "ical-generator";
import { icsText } from "../../exports/ics-text";
import { safeUrl } from "../../lib/safe-url";
import { KIND_INFO } from "../kinds";
import type { Attachment, MessageContext } from "./types";

export function calendarInvite(ctx: MessageContext, now = new Date()): Attachment | null {
  const s = ctx.session;
  const cal = ctx.calendar;
  if (!s || !cal) return null;
  const toClient = KIND_INFO[ctx.kind].recipient === "client";
  const attendee = ctx.client ?? (toClient ? ctx.recipient : null) ?? ctx.recipient;
  const method = cal.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  // A canceled meeting's join link must not linger in anyone's calendar.
  const joinUrl = cal.method === "CANCEL" ? null : safeUrl(s.joinUrl);
  const manage = safeUrl(ctx.links.manage);
  const description = [
    joinUrl ? `Join: ${joinUrl}` : null,
    s.location ? `Where: ${s.location}` : null,
    manage ? `Manage: ${manage}` : null,
  ]
    .filter(Boolean)
    .join("\n");

  const calendar = ical({ prodId: "//Kairos//Sessions//EN", method });
  calendar.createEvent({
    id: icsText(cal.uid),
    sequence: Math.max(0, Math.trunc(cal.sequence)),
    stamp: now,
    start: s.startsAt,
    end: s.endsAt,
    summary: toClient ? `${s.title} with ${ctx.coach.name}` : `${s.title} with ${attendee.name}`,
    description: description || null,
    location: s.location ?? joinUrl ?? null,
    url: joinUrl,
    status:
      method === ICalCalendarMethod.CANCEL ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    transparency: ICalEventTransparency.OPAQUE,
    organizer: { name: ctx.coach.name, email: ctx.coach.email },
    attendees: [
      {
        name: attendee.name,
        email: attendee.email,
        rsvp: false,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        type: ICalAttendeeType.INDIVIDUAL,
      },
    ],
  });
  return {
    filename: method === ICalCalendarMethod.CANCEL ? "cancel.ics" : "invite.ics",
    contentType: `text/calendar; charset=UTF-8; method=${method}`,
    content: endWithCrlf(calendar.toString()),
  };
}

/** RFC 5545 §3.1: every content line ends in CRLF, the last one too (ical-generator omits it). */
const endWithCrlf = (ics: string) => (ics.endsWith("\r\n") ? ics : `${ics}\r\n`);
