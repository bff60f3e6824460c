/**
 * What one message says, independent of its format: the coach's copy (with variables filled) plus
 * the facts the renderer lays out for each kind. html.ts and text.ts both draw this one model, so
 * the two parts of a message can never disagree about a time or a link.
 */

import { safeUrl } from "../../lib/safe-url";
import { KIND_INFO, type NotificationKind } from "../kinds";
import type { TemplateCopy } from "./defaults";
import { formatDate, formatRange, formatStart, usableZone } from "./format";
import type { MessageContext } from "./types";
import {
  fillPlain,
  parseTemplate,
  type Segment,
  type VariableName,
  variableValues,
} from "./variables";

const ANSWER_KINDS = new Set<NotificationKind>(["booking_confirmation", "coach_new_booking"]);

export type Link = { label: string; href: string };
export type Fact = { label: string; value: string; href?: string; muted?: boolean };
export type AgendaLine = { time: string; title: string; client: string; links: Link[] };

export type MessageModel = {
  subject: string;
  preheader: string;
  heading: string;
  /** Paragraphs of the coach's copy; each a run of segments (line breaks are in the text). */
  paragraphs: Segment[][];
  values: Record<VariableName, string>;
  facts: Fact[];
  answers: { question: string; answer: string }[];
  agenda: AgendaLine[] | null;
  actions: Link[];
  footer: { text: string; links: Link[] };
};

const link = (label: string, href: string | null | undefined): Link[] => {
  const safe = safeUrl(href);
  return safe ? [{ label, href: safe }] : [];
};

/** A subject is one header line: no CR/LF from a name, never longer than RFC 5322 allows. */
function oneLine(value: string, max = 998): string {
  return value.replace(/\s+/g, " ").trim().slice(0, max);
}

export function buildModel(ctx: MessageContext, copy: TemplateCopy): MessageModel {
  const info = KIND_INFO[ctx.kind];
  const values = variableValues(ctx);
  const zone = usableZone(ctx.recipient.timeZone);
  const s = ctx.session;
  const toClient = info.recipient === "client";
  const client = ctx.client ?? (toClient ? ctx.recipient : null);
  const facts: Fact[] = [];
  const actions: Link[] = [];

  const when = s ? formatRange(s.startsAt, s.endsAt, zone) : "";
  // The other party's zone, when it differs, so both sides can check the same instant.
  const other = toClient ? ctx.coach : client;
  const otherZone = other ? usableZone(other.timeZone) : zone;
  const otherWhen = s && otherZone !== zone ? formatRange(s.startsAt, s.endsAt, otherZone) : "";
  const otherLabel = toClient ? `${ctx.coach.name}'s time` : `${client?.name ?? "Client"}'s time`;
  const sessionFacts = (whenLabel: string, withJoin = true) => {
    if (!s) return;
    facts.push({
      label: "What",
      value: toClient ? s.title : `${s.title} with ${client?.name ?? "a client"}`,
    });
    facts.push({ label: whenLabel, value: when });
    if (otherWhen) facts.push({ label: otherLabel, value: otherWhen, muted: true });
    const joinUrl = safeUrl(s.joinUrl);
    if (s.location) facts.push({ label: "Where", value: s.location });
    if (joinUrl && withJoin) facts.push({ label: "Join", value: joinUrl, href: joinUrl });
    if (joinUrl && withJoin && s.passcode) facts.push({ label: "Passcode", value: s.passcode });
    else if (joinUrl && !s.location) facts.push({ label: "Where", value: "Online" });
    if (!toClient && client)
      facts.push({ label: "Client", value: `${client.name} <${client.email}>` });
  };
  const previous = ctx.previousSession
    ? formatRange(ctx.previousSession.startsAt, ctx.previousSession.endsAt, zone)
    : "";
  const joinAction = () => (s ? link("Join the session", s.joinUrl) : []);
  const clientSelfService = () => [
    ...link("Manage your session", ctx.links.manage),
    ...link("Reschedule", ctx.links.reschedule),
    ...link("Cancel", ctx.links.cancel),
  ];

  let heading: string;
  switch (ctx.kind) {
    case "booking_confirmation":
      heading = "You're booked";
      sessionFacts("When");
      actions.push(...joinAction(), ...clientSelfService());
      break;
    case "reminder":
      heading = values.reminder_lead ? `Starts ${values.reminder_lead}` : "Coming up";
      sessionFacts("When");
      actions.push(...joinAction(), ...clientSelfService());
      break;
    case "reschedule_notice":
      heading = "Your session has a new time";
      sessionFacts("New time");
      if (previous) facts.splice(2, 0, { label: "Previous time", value: previous, muted: true });
      actions.push(...joinAction(), ...clientSelfService());
      break;
    case "modification_notice":
      heading = "Your session was updated";
      sessionFacts("When");
      if (values.changes) facts.unshift({ label: "What changed", value: values.changes });
      if (previous && ctx.extra?.changed?.includes("time"))
        facts.push({ label: "Previous time", value: previous, muted: true });
      actions.push(...joinAction(), ...clientSelfService());
      break;
    case "cancellation_notice":
    case "coach_cancellation":
      heading = toClient ? "Your session was canceled" : "A session was canceled";
      // A canceled session's join link must not invite anyone to a meeting that is gone.
      sessionFacts("Was scheduled for", false);
      facts.push({ label: "Canceled by", value: values.canceled_by || "—" });
      facts.push({ label: "Reason", value: values.cancel_reason || "No reason given" });
      if (toClient)
        actions.push(
          ...link("Book again", ctx.links.rebook),
          ...link("View details", ctx.links.manage),
        );
      else actions.push(...link("Open in Kairos", ctx.links.manage));
      break;
    case "follow_up":
      heading = "Thank you";
      if (s) facts.push({ label: "Session", value: s.title }, { label: "When", value: when });
      actions.push(
        ...link("Book your next session", ctx.links.rebook),
        ...link("Your session page", ctx.links.manage),
      );
      break;
    case "feedback_request":
      heading = "How did it go?";
      if (s) facts.push({ label: "Session", value: s.title }, { label: "When", value: when });
      actions.push(
        ...link("Give feedback", ctx.links.feedback),
        ...link("Your session page", ctx.links.manage),
      );
      break;
    case "coach_new_booking":
      heading = "New booking";
      sessionFacts("When");
      actions.push(...link("Open in Kairos", ctx.links.manage), ...joinAction());
      break;
    case "coach_daily_agenda": {
      const day = ctx.extra?.agenda?.date;
      heading = day ? `Your agenda for ${formatDate(day, zone)}` : "Your agenda";
      facts.push({ label: "Time zone", value: zone });
      actions.push(...link("Open your dashboard", ctx.links.manage));
      break;
    }
    case "coach_connection_attention": {
      const c = ctx.extra?.connection;
      heading = "A connection needs attention";
      if (c) {
        facts.push(
          { label: "Connection", value: values.provider },
          { label: "Problem", value: values.problem },
        );
        if (c.detail) facts.push({ label: "Detail", value: c.detail });
      }
      actions.push(
        ...link("Fix the connection", c?.fixUrl),
        ...link("Open Kairos", ctx.links.manage),
      );
      break;
    }
  }

  const agenda =
    ctx.kind === "coach_daily_agenda"
      ? (ctx.extra?.agenda?.items ?? []).map((i) => ({
          time: `${formatStart(i.startsAt, zone)} – ${formatStart(i.endsAt, zone)}`,
          title: i.title,
          client: i.clientEmail ? `${i.clientName} <${i.clientEmail}>` : i.clientName,
          links: [...link("Join", i.joinUrl), ...link("Open", i.manageUrl)],
        }))
      : null;

  const footerLinks = [
    ...link("Email preferences", ctx.links.preferences),
    ...(info.category === "transactional" ? [] : link("Unsubscribe", ctx.links.unsubscribe)),
  ];
  const footer = {
    text: toClient
      ? `Sent by Kairos on behalf of ${ctx.coach.name}, because you booked a session with them.`
      : "Sent by Kairos to you as the coach.",
    links: footerLinks,
  };

  const paragraphs = copy.body
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(parseTemplate);

  return {
    subject: oneLine(fillPlain(parseTemplate(copy.subject), values)),
    preheader: oneLine(when || heading, 200),
    heading,
    paragraphs,
    values,
    facts,
    // Answers help the coach prepare and let the client check what they sent; later mails omit them.
    answers: ANSWER_KINDS.has(ctx.kind) ? (s?.answers?.filter((a) => a.answer.trim()) ?? []) : [],
    agenda,
    actions,
    footer,
  };
}
