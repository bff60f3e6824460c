/**
 * Applies one verified Calendly webhook to Kairos's booking records and derives the domain events.
 * Idempotent and order-independent: records are upserted by URI (older data never wins) and every
 * domain event has a dedupe key naming the logical change, so duplicates and reordering collapse.
 * A reschedule is one move, recorded when both halves are known and keyed by the OLD invitee's URI,
 * which both halves name (§3.4 of the contract; ADR 0010). No-show changes are ordered by when
 * they happened (the envelope's created_at), since Calendly's updated_at does not move for them.
 */
import { InviteePayload } from "../calendly/invitee-payload";
import type { WebhookEnvelope } from "../calendly/webhook-envelope";
import { releaseIntentOf } from "../db/booking-intents";
import { observeNoShow, upsertInvitee, upsertSession } from "../db/bookings";
import { recordDomainEvent } from "../db/domain-events";
import type { DomainEventType } from "../db/schema";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { noShowChanges } from "./no-show-changes";
import { completeMoves } from "./reschedule-moves";

export type AppliedChange = { type: DomainEventType; sessionId: string };

export async function applyCalendlyEvent(
  scope: CoachScope,
  envelope: WebhookEnvelope,
): Promise<AppliedChange[]> {
  if (!envelope.event.startsWith("invitee")) return []; // event_type.* etc.: nothing to mirror yet
  const parsed = InviteePayload.safeParse(envelope.payload);
  const happenedAt = new Date(envelope.created_at);
  if (!parsed.success || Number.isNaN(happenedAt.getTime())) {
    throw new AppError("bad_request", "Unreadable invitee payload.", {
      details: parsed.error?.issues.slice(0, 5) ?? [{ path: ["created_at"] }],
    });
  }
  return applyInviteeChange(scope, envelope.event, parsed.data, happenedAt);
}

/**
 * The same path for webhooks and for reconciliation, so repairs emit the same domain events.
 * `seenAt` is when Calendly's data was true: the webhook's created_at, or when reconcile read it.
 */
export async function applyInviteeChange(
  scope: CoachScope,
  event: string,
  p: InviteePayload,
  seenAt: Date,
): Promise<AppliedChange[]> {
  const session = await upsertSession(scope, p);
  const before = await upsertInvitee(scope, session.id, p, seenAt);
  const payload = { inviteeUri: p.uri, sessionUri: p.scheduled_event.uri };

  const candidates: { type: DomainEventType; key: string }[] = [];
  // First sighting of a booking whose invitee.created we never got (lost webhook, reconcile): the
  // booking still happened, so it is recorded once. Consumers act on current state, not on events.
  // The new half of a reschedule is no new booking: it is recorded as the move.
  if (!before && !p.old_invitee && event !== "invitee.created") {
    candidates.push({ type: "booking.created", key: p.uri });
  }
  if (event === "invitee.created" && !p.old_invitee) {
    candidates.push({ type: "booking.created", key: p.uri });
  }
  if (event === "invitee.canceled" && !p.rescheduled) {
    candidates.push({ type: "booking.canceled", key: p.uri });
  }
  // Every payload carries the invitee's no-show state, so any delivery can fill in a lost one.
  const seen = { uri: p.no_show?.uri ?? null, at: seenAt };
  const held = { uri: before?.noShowUri ?? null, at: before?.noShowChangedAt ?? null };
  // Even an unchanged state moves the time on: a clear at t makes every earlier mark stale.
  if (before && (!held.at || held.at < seenAt)) await observeNoShow(scope, p.uri, seen.uri, seenAt);
  for (const c of noShowChanges(held, seen)) {
    candidates.push({ type: c.type, key: c.uri });
  }

  const applied: AppliedChange[] = [];
  for (const c of candidates) {
    const first = await recordDomainEvent(scope, {
      type: c.type,
      dedupeKey: `${c.type}|${c.key}`,
      sessionId: session.id,
      payload: c.type.startsWith("invitee.no_show") ? { ...payload, noShowUri: c.key } : payload,
    });
    if (first) applied.push({ type: c.type, sessionId: session.id });
  }

  if (p.status === "canceled") {
    await releaseIntentOf(
      scope.db,
      scope.coachId,
      p.uri,
      p.rescheduled
        ? { reason: "rescheduled", toInviteeUri: p.new_invitee ?? null }
        : { reason: "canceled" },
    );
  }
  for (const m of await completeMoves(scope, p.uri)) {
    applied.push({ type: "booking.rescheduled", sessionId: m.sessionId });
  }
  return applied;
}
