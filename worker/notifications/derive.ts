/**
 * What an outbox row says, decided at send time from the session's state then (ADR 0015): a
 * reminder for a canceled or moved session is not sent, a reminder past its time by more than
 * TOO_LATE_MS is skipped rather than sent late, a notice a later change superseded is skipped.
 * Otherwise the row becomes a MessageContext for the renderer, with the chain's stable UID and
 * current SEQUENCE.
 */
import type { coaches } from "../db/schema";
import type { ChainBooking, ChainState } from "./chain";
import { NOT_IN_CALENDLY_REASON, staleReason } from "./freshness";
import type { NotificationKind } from "./kinds";
import { KIND_INFO } from "./kinds";
import type { OutboxRow } from "./outbox";
import type { MessageContext, Person } from "./render/types";
import type { ZoomLink } from "./zoom-link";

/** The cron runs every 5 minutes: a reminder claimed up to 15 minutes after its time still goes. */
export const TOO_LATE_MS = 15 * 60_000;

export type Verdict = { send: MessageContext } | { skip: string; status: "skipped" | "revoked" };

type Coach = typeof coaches.$inferSelect;

export function derive(
  env: Env,
  row: OutboxRow,
  chain: ChainState | null,
  coach: Coach,
  now: Date,
  /** The ready Zoom meeting of the chain's current session (./zoom-link.ts), if any. */
  zoom: ZoomLink | null = null,
): Verdict {
  if (!chain) return { skip: "session_gone", status: "skipped" };
  const kind = row.kind as NotificationKind;
  const { current } = chain;
  const booking = chain.bookings.find((b) => b.session.id === row.sessionId) ?? current;
  // Planned while fresh but sent late (a queue backlog): history by now is not sent either.
  const stale = kind === "reminder" ? null : staleReason(kind, booking, now);
  if (stale) return { skip: stale, status: "skipped" };
  if (kind === "cancellation_notice" && booking.invitee.cancelReason === NOT_IN_CALENDLY_REASON)
    return { skip: "not_in_calendly", status: "skipped" };
  switch (kind) {
    case "reminder": {
      if (!chain.active) return { skip: "canceled", status: "revoked" };
      if (
        current.session.id !== row.sessionId ||
        current.session.startsAt.getTime() !== row.plannedStartAt?.getTime()
      )
        return { skip: "session_moved", status: "revoked" };
      if (now.getTime() > row.dueAt.getTime() + TOO_LATE_MS || now >= current.session.startsAt)
        return { skip: "too_late", status: "skipped" };
      return { send: context(env, row, chain, current, coach, "REQUEST", zoom) };
    }
    case "booking_confirmation":
    case "coach_new_booking":
      if (!chain.active) return { skip: "canceled_before_sent", status: "skipped" };
      return { send: context(env, row, chain, current, coach, "REQUEST", zoom) };
    case "reschedule_notice":
      if (!chain.active) return { skip: "canceled_before_sent", status: "skipped" };
      // Moved again before this went out: the later move's notice tells the client.
      if (current.session.id !== row.sessionId) return { skip: "superseded", status: "skipped" };
      return { send: context(env, row, chain, current, coach, "REQUEST", zoom) };
    case "cancellation_notice":
    case "coach_cancellation":
      if (booking.session.status === "active" && booking.invitee.status === "active")
        return { skip: "not_canceled", status: "skipped" };
      return { send: context(env, row, chain, booking, coach, "CANCEL") };
    default:
      return { skip: "kind_not_planned_here", status: "skipped" };
  }
}

function context(
  env: Env,
  row: OutboxRow,
  chain: ChainState,
  booking: ChainBooking,
  coach: Coach,
  method: "REQUEST" | "CANCEL",
  zoom: ZoomLink | null = null,
): MessageContext {
  const kind = row.kind as NotificationKind;
  const { invitee, session } = booking;
  const client: Person = {
    name: invitee.name,
    email: invitee.email,
    timeZone: invitee.timeZone || coach.timeZone,
  };
  const coachPerson: Person = { name: coach.name, email: coach.email, timeZone: coach.timeZone };
  const toCoach = KIND_INFO[kind].recipient === "coach";
  const location = (session.location ?? {}) as Record<string, unknown>;
  // Kairos's own Zoom meeting first: Calendly's location has no link when Kairos made the meeting.
  const zoomHere = zoom && booking.session.id === chain.current.session.id ? zoom : null;
  const joinUrl =
    zoomHere?.joinUrl ?? (typeof location.join_url === "string" ? location.join_url : null);
  const place = typeof location.location === "string" ? location.location : null;
  const rebook = `${env.APP_URL}/book/${coach.slug}`;
  const previous =
    kind === "reschedule_notice" && row.previousStartAt
      ? {
          startsAt: row.previousStartAt,
          endsAt: new Date(
            row.previousStartAt.getTime() + (session.endsAt.getTime() - session.startsAt.getTime()),
          ),
        }
      : null;
  return {
    kind,
    recipient: toCoach ? coachPerson : client,
    coach: coachPerson,
    client,
    session: {
      title: session.name,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      location: place,
      joinUrl,
      passcode: zoomHere?.passcode ?? null,
      answers: invitee.answers.map((a) => ({ question: a.question, answer: a.answer })),
    },
    previousSession: previous,
    cancellation:
      method === "CANCEL"
        ? {
            by: invitee.cancelerType === "host" ? "coach" : "client",
            reason: invitee.cancelReason ?? session.cancelReason,
          }
        : null,
    links: toCoach
      ? { manage: `${env.APP_URL}/sessions/${session.id}` }
      : {
          manage: invitee.rescheduleUrl ?? rebook,
          reschedule: invitee.rescheduleUrl,
          rebook,
        },
    calendar: { uid: `${chain.chainId}@kairos`, sequence: chain.sequence, method },
    extra: kind === "reminder" ? { reminderOffsetMinutes: row.offsetMinutes } : undefined,
  };
}
