/**
 * The renderer's contract with the notifications pipeline: the pipeline derives a MessageContext
 * from the session's state at send time and calls renderMessage(scope, ctx) (render/index.ts); the
 * RenderedMessage it gets back is transport-neutral (the transports map it to Email Service,
 * Resend or the local outbox). Dates are absolute instants; the renderer formats them per zone.
 */
import type { NotificationKind } from "../kinds";

export type Person = {
  name: string;
  email: string /** IANA zone, e.g. "America/New_York". */;
  timeZone: string;
};

export type SessionDetails = {
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** Free-text location (address, phone) when not an online meeting. */
  location?: string | null;
  /** The Zoom (or other) join link; never the host's start_url. */
  joinUrl?: string | null;
  /** The meeting's passcode (Kairos's Zoom meeting), shown next to the join link. */
  passcode?: string | null;
  /** The client's answers to the booking questions, in question order. */
  answers?: { question: string; answer: string }[];
};

export type CancellationDetails = {
  /** Who canceled: the coach or the client (invitee). */
  by: "coach" | "client";
  /** The reason as given; null or empty when none was given. */
  reason?: string | null;
};

export type MessageLinks = {
  /** The client's /manage/{token} page (or the coach's dashboard session page for coach kinds). */
  manage: string;
  reschedule?: string | null;
  cancel?: string | null;
  /** Where to book again (the coach's booking page) — shown in cancellation notices. */
  rebook?: string | null;
  /** One-click unsubscribe URL for this category (RFC 8058), for optional mail. */
  unsubscribe?: string | null;
  /** The preference centre (/preferences/{token}). */
  preferences?: string | null;
  /** Feedback form (feedback_request). */
  feedback?: string | null;
};

export type CalendarInvite = {
  /** Stable for the life of the Kairos session, e.g. "<session id>@kairos". */
  uid: string;
  /** 0 on first send; increases with the session version; never decreases. */
  sequence: number;
  method: "REQUEST" | "CANCEL";
};

export type AgendaItem = {
  title: string;
  startsAt: Date;
  endsAt: Date;
  clientName: string;
  clientEmail?: string | null;
  joinUrl?: string | null;
  manageUrl?: string | null;
};

export type ConnectionProblem = {
  provider: "calendly" | "zoom";
  /** What is wrong, e.g. "needs_reconnect" or "subscription_disabled". */
  problem: "needs_reconnect" | "subscription_disabled" | string;
  /** Where the coach fixes it (Settings → Connections). */
  fixUrl: string;
  /** Optional human detail, e.g. "Calendly disabled the webhook subscription". */
  detail?: string | null;
};

export type MessageExtra = {
  /** coach_daily_agenda: the day's sessions, in order. */
  agenda?: { date: Date; items: AgendaItem[] } | null;
  /** coach_connection_attention */
  connection?: ConnectionProblem | null;
  /** reminder: minutes before start this reminder is for (for "in 1 hour" wording). */
  reminderOffsetMinutes?: number | null;
  /** modification_notice: which parts changed. */
  changed?: ("time" | "location" | "join_url")[] | null;
};

export type MessageContext = {
  kind: NotificationKind;
  /** Who receives this message (client for client kinds, the coach for coach kinds). */
  recipient: Person;
  coach: Person;
  /** The client's side of the session (name, email, zone); for coach kinds the client is named from here. */
  client?: Person | null;
  session: SessionDetails | null;
  /** reschedule_notice / modification_notice: the time before the change. */
  previousSession: {
    startsAt: Date;
    endsAt: Date;
    location?: string | null;
    joinUrl?: string | null;
  } | null;
  cancellation: CancellationDetails | null;
  links: MessageLinks;
  /** Present where a session exists; method CANCEL for cancellations. */
  calendar: CalendarInvite | null;
  extra?: MessageExtra;
};

export type Attachment = {
  filename: string;
  contentType: string /** UTF-8 text (an .ics). */;
  content: string;
};

export type RenderedMessage = {
  subject: string;
  html: string;
  text: string;
  /** Extra headers the renderer wants (the pipeline adds List-Unsubscribe etc. itself). */
  headers: Record<string, string>;
  attachments: Attachment[];
};
