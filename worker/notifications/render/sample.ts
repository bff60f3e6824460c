/**
 * Sample MessageContexts: what a preview shows when the coach has no past session yet, and what
 * the screenshot suite renders for every kind. The client sits in another zone than the coach on
 * purpose, so a preview shows both times.
 */
import { KIND_INFO, type NotificationKind } from "../kinds";
import type { MessageContext, Person } from "./types";

const HOUR = 3_600_000;

export function sampleContext(
  kind: NotificationKind,
  coach: Person,
  appUrl: string,
  now = new Date(),
): MessageContext {
  const client: Person = {
    name: "Sam Rivera",
    email: "sam@example.net",
    timeZone: coach.timeZone === "Europe/Berlin" ? "America/New_York" : "Europe/Berlin",
  };
  const info = KIND_INFO[kind];
  const past = info.category === "follow_ups";
  // Two days ahead (or one behind for follow-ups), on the hour.
  const start = new Date(Math.floor(now.getTime() / HOUR) * HOUR + (past ? -24 : 48) * HOUR);
  const end = new Date(start.getTime() + 30 * 60_000);
  const manage =
    info.recipient === "client" ? `${appUrl}/manage/sample-token` : `${appUrl}/sessions`;
  const cancel = kind === "cancellation_notice" || kind === "coach_cancellation";
  return {
    kind,
    recipient: info.recipient === "client" ? client : coach,
    coach,
    client,
    session: {
      title: "Intro Call",
      startsAt: start,
      endsAt: end,
      location: null,
      joinUrl: "https://zoom.us/j/85746065432?pwd=sample",
      answers: [
        { question: "What would you like to focus on?", answer: "Planning my next quarter." },
      ],
    },
    previousSession:
      kind === "reschedule_notice" || kind === "modification_notice"
        ? {
            startsAt: new Date(start.getTime() - 24 * HOUR),
            endsAt: new Date(end.getTime() - 24 * HOUR),
          }
        : null,
    cancellation: cancel ? { by: "client", reason: "Something came up at work." } : null,
    links: {
      manage,
      reschedule: `${appUrl}/manage/sample-token?action=reschedule`,
      cancel: `${appUrl}/manage/sample-token?action=cancel`,
      rebook: `${appUrl}/book/sample`,
      feedback: `${appUrl}/manage/sample-token?action=feedback`,
      preferences: info.recipient === "client" ? `${appUrl}/preferences/sample-token` : null,
      unsubscribe: info.category === "transactional" ? null : `${appUrl}/u/sample-token`,
    },
    calendar: info.hasSession
      ? {
          uid: "sample-session@kairos",
          sequence: kind === "booking_confirmation" ? 0 : 1,
          method: cancel ? "CANCEL" : "REQUEST",
        }
      : null,
    extra: {
      reminderOffsetMinutes: kind === "reminder" ? 60 : null,
      changed: kind === "modification_notice" ? ["time", "join_url"] : null,
      agenda:
        kind === "coach_daily_agenda"
          ? {
              date: start,
              items: [0, 2].map((h) => ({
                title: "Intro Call",
                startsAt: new Date(start.getTime() + h * HOUR),
                endsAt: new Date(end.getTime() + h * HOUR),
                clientName: h ? "Alex Kim" : client.name,
                clientEmail: h ? "alex@example.net" : client.email,
                joinUrl: "https://zoom.us/j/85746065432?pwd=sample",
                manageUrl: `${appUrl}/sessions`,
              })),
            }
          : null,
      connection:
        kind === "coach_connection_attention"
          ? { provider: "zoom", problem: "needs_reconnect", fixUrl: `${appUrl}/settings` }
          : null,
    },
  };
}
