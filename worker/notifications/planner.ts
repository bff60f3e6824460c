/**
 * The `notifications` reactor: a recorded domain event → outbox rows (ADR 0015). It reads the
 * chain's CURRENT state and uses the event only to know which chain and which notice, so a
 * duplicated, late or reordered event plans nothing new (the idempotency keys exist). Reminders are
 * replanned from scratch on every event: those of the current session and start are kept (or
 * added), every other waiting reminder of the chain is revoked. Notices due now are claimed and
 * enqueued at once; the cron scan picks up the reminders when they fall due.
 */

import { getCoach } from "../db/coaches";
import type { CoachScope } from "../env";
import type { DomainEvent, Reactor } from "../reactions/reactor";
import { type ChainState, chainOfInviteeUri, loadChain } from "./chain";
import { staleReason } from "./freshness";
import {
  claimDue,
  enqueueClaims,
  type PlannedMessage,
  planMessages,
  revokeReminders,
} from "./outbox";
import { reminderOffsets } from "./settings";

export const planNotifications: Reactor = (env, scope, event) =>
  planNotificationsAt(env, scope, event, new Date());

/** The reactor with its clock passed in (tests run "later" without waiting). */
export async function planNotificationsAt(
  env: Env,
  scope: CoachScope,
  event: DomainEvent,
  now: Date,
): Promise<void> {
  const chainId = await chainOf(scope, event);
  if (!chainId) return;
  const chain = await loadChain(scope, chainId);
  if (!chain) return;
  const coach = await getCoach(scope.db, scope.coachId);
  if (!coach) return;
  const notices = freshNotices(event, chain, noticesFor(event, chain, coach.email, now), now);
  await planMessages(scope, [...notices, ...(await planReminders(scope, chain, now))]);
  await dispatchDue(env, scope, chainId, now);
}

async function chainOf(scope: CoachScope, event: DomainEvent): Promise<string | null> {
  const p = event.payload as Record<string, unknown>;
  // The invitee's chain as it is now: a late predecessor may have merged the chain since.
  const uri =
    typeof p.toInviteeUri === "string"
      ? p.toInviteeUri
      : typeof p.inviteeUri === "string"
        ? p.inviteeUri
        : null;
  const fromUri = uri ? await chainOfInviteeUri(scope, uri) : null;
  return fromUri ?? (typeof p.chainId === "string" ? p.chainId : null);
}

/** The one-off notices an event asks for; keyed so the same change never plans a second one. */
function noticesFor(
  event: DomainEvent,
  chain: ChainState,
  coachEmail: string,
  now: Date,
): PlannedMessage[] {
  const { chainId, current } = chain;
  const p = event.payload as Record<string, unknown>;
  const client = current.invitee.email.toLowerCase();
  const base = { chainId, inviteeId: current.invitee.id, dueAt: now };
  switch (event.type) {
    case "booking.created":
      return [
        {
          ...base,
          sessionId: current.session.id,
          kind: "booking_confirmation",
          recipient: client,
          idempotencyKey: `${chainId}|booking_confirmation|${client}`,
        },
        {
          ...base,
          sessionId: current.session.id,
          kind: "coach_new_booking",
          recipient: coachEmail,
          idempotencyKey: `${chainId}|coach_new_booking|coach`,
        },
      ];
    case "booking.rescheduled": {
      const to = typeof p.toSessionId === "string" ? p.toSessionId : current.session.id;
      const from = typeof p.fromStartTime === "string" ? new Date(p.fromStartTime) : null;
      return [
        {
          ...base,
          sessionId: to,
          kind: "reschedule_notice",
          recipient: client,
          // The new session is the move's own id: stable whatever the chain is called later.
          idempotencyKey: `${to}|reschedule_notice|${client}`,
          previousStartAt: from && !Number.isNaN(from.getTime()) ? from : null,
        },
      ];
    }
    case "booking.canceled": {
      // Keyed by the canceled booking, not the chain: a late predecessor can still change the
      // chain id after this was planned (ADR 0010), the invitee id never changes.
      const canceled = canceledBooking(event, chain);
      const sessionId = canceled.session.id;
      return [
        {
          ...base,
          sessionId,
          inviteeId: canceled.invitee.id,
          kind: "cancellation_notice",
          recipient: client,
          idempotencyKey: `${canceled.invitee.id}|cancellation_notice|${client}`,
        },
        {
          ...base,
          sessionId,
          inviteeId: canceled.invitee.id,
          kind: "coach_cancellation",
          recipient: coachEmail,
          idempotencyKey: `${canceled.invitee.id}|coach_cancellation|coach`,
        },
      ];
    }
    default:
      // No-show marks change what the coach sees, not what the client is told.
      return [];
  }
}

/**
 * Drops the notices that are history, not news: bookings a (first) import only now sees, changes
 * long past (see freshness.ts). A booking Calendly no longer lists was not canceled by anybody the
 * client knows of: the client is told nothing, the coach still is.
 */
function freshNotices(
  event: DomainEvent,
  chain: ChainState,
  notices: PlannedMessage[],
  now: Date,
): PlannedMessage[] {
  const notInCalendly = (event.payload as Record<string, unknown>).reason === "not_in_calendly";
  return notices.filter((n) => {
    if (notInCalendly && n.kind === "cancellation_notice") return false;
    const booking = chain.bookings.find((b) => b.session.id === n.sessionId) ?? chain.current;
    return staleReason(n.kind, booking, now) === null;
  });
}

/**
 * The key of one reminder: the booking, its session's start and the offset; a moved session gets
 * new keys. The invitee id, not the chain id, since a chain can be renamed (ADR 0010).
 */
export const reminderKey = (
  inviteeId: string,
  client: string,
  sessionId: string,
  startsAt: Date,
  offset: number,
) => `${inviteeId}|reminder|${client}|${sessionId}|${startsAt.getTime()}|${offset}`;

function canceledBooking(event: DomainEvent, chain: ChainState) {
  const uri = (event.payload as Record<string, unknown>).inviteeUri;
  return chain.bookings.find((b) => b.invitee.calendlyUri === uri) ?? chain.current;
}

async function planReminders(
  scope: CoachScope,
  chain: ChainState,
  now: Date,
): Promise<PlannedMessage[]> {
  const { chainId, current } = chain;
  if (!chain.active) {
    await revokeReminders(scope, chain, [], "canceled");
    return [];
  }
  const client = current.invitee.email.toLowerCase();
  const startsAt = current.session.startsAt;
  const planned = (await reminderOffsets(scope)).map((offset) => {
    const dueAt = new Date(startsAt.getTime() - offset * 60_000);
    return {
      chainId,
      sessionId: current.session.id,
      inviteeId: current.invitee.id,
      kind: "reminder" as const,
      recipient: client,
      idempotencyKey: reminderKey(current.invitee.id, client, current.session.id, startsAt, offset),
      dueAt,
      plannedStartAt: startsAt,
      offsetMinutes: offset,
      // Booked (or moved) after its time: a reminder sent late is worse than none.
      skipReason: dueAt <= now ? "too_late" : null,
    };
  });
  await revokeReminders(
    scope,
    chain,
    planned.map((p) => p.idempotencyKey),
    "session_moved",
  );
  return planned;
}

/** Claims this chain's due rows and hands them to the `notifications` queue. */
async function dispatchDue(env: Env, scope: CoachScope, chainId: string, now: Date) {
  const claims = await claimDue(scope.db, now, { coachId: scope.coachId, chainId });
  if (claims.length > 0) await enqueueClaims(env, claims);
}
