/**
 * The `{{variable}}` language of coach-editable copy: which variables exist, which kinds offer
 * which, their values for one MessageContext, and the parser that finds unknown ones (a 400 naming
 * them). Values are plain strings; escaping is the HTML renderer's job, never the template's.
 */
import { KIND_INFO, type NotificationKind } from "../kinds";
import { formatDate, formatLead, formatRange, formatStart, usableZone } from "./format";
import type { MessageContext } from "./types";

export const VARIABLES = {
  recipient_name: "The name of the person receiving this message",
  coach_name: "Your name",
  client_name: "The client's full name",
  client_first_name: "The client's first name",
  event_name: "The session's event type, e.g. “Intro Call”",
  session_time: "Date, start and end of the session in the recipient's time zone, zone named",
  session_date: "The session's date in the recipient's time zone",
  session_start: "The start time with the zone's short name, e.g. “10:00 AM EST”",
  time_zone: "The recipient's time zone, e.g. America/New_York",
  session_time_client: "The session's time in the client's time zone",
  session_time_coach: "The session's time in your time zone",
  join_link: "The video meeting's join link (empty when the session is in person)",
  location: "Where the session takes place (address or “Online”)",
  answers: "The client's answers to the booking questions, one per line",
  manage_link:
    "The link to manage the session (the client's page; your dashboard for your own mails)",
  reschedule_link: "The client's link to pick another time",
  cancel_link: "The client's link to cancel",
  reminder_lead: "How far ahead the reminder is, e.g. “in 1 hour”",
  previous_session_time: "The session's time before the change",
  changes: "What changed, e.g. “time, location”",
  canceled_by: "Who canceled: the client's name or yours",
  cancel_reason: "The reason given for the cancellation (empty when none was given)",
  rebook_link: "Your booking page, to book again",
  feedback_link: "The link to the feedback form",
  agenda_date: "The agenda's date in your time zone",
  agenda_count: "How many sessions are on the agenda",
  provider: "The connection that needs attention (Calendly or Zoom)",
  problem: "What is wrong with the connection",
  fix_link: "Where to fix the connection",
} as const;
export type VariableName = keyof typeof VARIABLES;

const BASE: VariableName[] = ["recipient_name", "coach_name", "manage_link", "time_zone"];
const SESSION: VariableName[] = [
  "client_name",
  "client_first_name",
  "event_name",
  "session_time",
  "session_date",
  "session_start",
  "session_time_client",
  "session_time_coach",
  "join_link",
  "location",
  "answers",
  "reschedule_link",
  "cancel_link",
];
const CANCELED: VariableName[] = ["canceled_by", "cancel_reason", "rebook_link"];

export const KIND_VARIABLES: Record<NotificationKind, readonly VariableName[]> = {
  booking_confirmation: [...BASE, ...SESSION],
  reminder: [...BASE, ...SESSION, "reminder_lead"],
  reschedule_notice: [...BASE, ...SESSION, "previous_session_time"],
  cancellation_notice: [...BASE, ...SESSION, ...CANCELED],
  modification_notice: [...BASE, ...SESSION, "previous_session_time", "changes"],
  follow_up: [...BASE, ...SESSION, "rebook_link"],
  feedback_request: [...BASE, ...SESSION, "feedback_link", "rebook_link"],
  coach_new_booking: [...BASE, ...SESSION],
  coach_cancellation: [...BASE, ...SESSION, ...CANCELED],
  coach_daily_agenda: [...BASE, "agenda_date", "agenda_count"],
  coach_connection_attention: [...BASE, "provider", "problem", "fix_link"],
};

/** Variables whose value is a URL: the HTML part makes them links. */
export const LINK_VARIABLES = new Set<VariableName>([
  "join_link",
  "manage_link",
  "reschedule_link",
  "cancel_link",
  "rebook_link",
  "feedback_link",
  "fix_link",
]);

export type Segment = { text: string } | { variable: VariableName };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every `{{name}}` in `source` that `kind` does not offer, in order of appearance, once each. */
export function unknownVariables(kind: NotificationKind, source: string): string[] {
  const allowed = new Set<string>(KIND_VARIABLES[kind]);
  const unknown: string[] = [];
  for (const m of source.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? "";
    if (!allowed.has(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** Splits copy into literal text and variables (call after unknownVariables found none). */
export function parseTemplate(source: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: source.slice(last, at) });
    const name = m[1] ?? "";
    if (name in VARIABLES) out.push({ variable: name as VariableName });
    else out.push({ text: m[0] });
    last = at + m[0].length;
  }
  if (last < source.length) out.push({ text: source.slice(last) });
  return out;
}

const PROVIDER_NAMES = { calendly: "Calendly", zoom: "Zoom" } as const;
const PROBLEMS: Record<string, string> = {
  needs_reconnect: "needs to be reconnected",
  subscription_disabled: "stopped sending us updates (its webhook subscription was disabled)",
};
const CHANGE_NAMES = { time: "time", location: "location", join_url: "join link" } as const;

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** The value of every variable for this message; variables that do not apply are "". */
export function variableValues(ctx: MessageContext): Record<VariableName, string> {
  const zone = usableZone(ctx.recipient.timeZone);
  const s = ctx.session;
  const client = ctx.client ?? (KIND_INFO[ctx.kind].recipient === "client" ? ctx.recipient : null);
  const cancelerName =
    ctx.cancellation?.by === "coach" ? ctx.coach.name : (client?.name ?? "The client");
  const range = (tz: string | undefined) => (s && tz ? formatRange(s.startsAt, s.endsAt, tz) : "");
  return {
    recipient_name: ctx.recipient.name,
    coach_name: ctx.coach.name,
    client_name: client?.name ?? "",
    client_first_name: client ? firstName(client.name) : "",
    event_name: s?.title ?? "",
    session_time: range(zone),
    session_date: s ? formatDate(s.startsAt, zone) : "",
    session_start: s ? formatStart(s.startsAt, zone) : "",
    time_zone: zone,
    session_time_client: range(client?.timeZone),
    session_time_coach: range(ctx.coach.timeZone),
    join_link: s?.joinUrl ?? "",
    location: s ? (s.location ?? (s.joinUrl ? "Online" : "")) : "",
    answers: (s?.answers ?? []).map((a) => `${a.question}: ${a.answer}`).join("\n"),
    manage_link: ctx.links.manage,
    reschedule_link: ctx.links.reschedule ?? "",
    cancel_link: ctx.links.cancel ?? "",
    reminder_lead:
      ctx.extra?.reminderOffsetMinutes != null ? formatLead(ctx.extra.reminderOffsetMinutes) : "",
    previous_session_time: ctx.previousSession
      ? formatRange(ctx.previousSession.startsAt, ctx.previousSession.endsAt, zone)
      : "",
    changes: (ctx.extra?.changed ?? []).map((c) => CHANGE_NAMES[c]).join(", "),
    canceled_by: ctx.cancellation ? cancelerName : "",
    cancel_reason: ctx.cancellation?.reason?.trim() ?? "",
    rebook_link: ctx.links.rebook ?? "",
    feedback_link: ctx.links.feedback ?? "",
    agenda_date: ctx.extra?.agenda ? formatDate(ctx.extra.agenda.date, zone) : "",
    agenda_count: ctx.extra?.agenda ? String(ctx.extra.agenda.items.length) : "",
    provider: ctx.extra?.connection ? PROVIDER_NAMES[ctx.extra.connection.provider] : "",
    problem: ctx.extra?.connection
      ? (PROBLEMS[ctx.extra.connection.problem] ?? ctx.extra.connection.problem)
      : "",
    fix_link: ctx.extra?.connection?.fixUrl ?? "",
  };
}

/** The copy with every variable replaced by its plain value (subjects, the text part). */
export function fillPlain(segments: Segment[], values: Record<VariableName, string>): string {
  return segments.map((s) => ("text" in s ? s.text : values[s.variable])).join("");
}
