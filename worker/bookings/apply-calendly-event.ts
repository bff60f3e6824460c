/**
 * Applies one verified Calendly webhook to Kairos's booking records and derives the domain events.
 * Idempotent and order-independent: records are upserted by URI (older data never wins) and every
 * domain event has a dedupe key naming the logical change, so duplicates and reordering collapse.
 * A reschedule is keyed by the OLD invitee's URI, which both halves know (§3.4 of the contract).
 */
import { InviteePayload } from "../calendly/invitee-payload";
import type { WebhookEnvelope } from "../calendly/webhook-envelope";
import { upsertInvitee, upsertSession } from "../db/bookings";
import { recordDomainEvent } from "../db/domain-events";
import type { DomainEventType } from "../db/schema";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";

export type AppliedChange = { type: DomainEventType; sessionId: string };

export async function applyCalendlyEvent(
  scope: CoachScope,
  envelope: WebhookEnvelope,
): Promise<AppliedChange[]> {
  if (!envelope.event.startsWith("invitee")) return []; // event_type.* etc.: nothing to mirror yet
  const parsed = InviteePayload.safeParse(envelope.payload);
  if (!parsed.success) {
    throw new AppError("bad_request", "Unreadable invitee payload.", {
      details: parsed.error.issues.slice(0, 5),
    });
  }
  return applyInviteeChange(scope, envelope.event, parsed.data);
}

/** The same path for webhooks and for reconciliation, so repairs emit the same domain events. */
export async function applyInviteeChange(
  scope: CoachScope,
  event: string,
  p: InviteePayload,
): Promise<AppliedChange[]> {
  const session = await upsertSession(scope, p);
  const before = await upsertInvitee(scope, session.id, p);
  const payload = { inviteeUri: p.uri, sessionUri: p.scheduled_event.uri };

  const candidates: { type: DomainEventType; key: string; extra?: Record<string, unknown> }[] = [];
  // First sighting of a booking whose invitee.created we never got (lost webhook, reconcile): the
  // booking still happened, so it is recorded once. Consumers act on current state, not on events.
  if (!before && !p.old_invitee && event !== "invitee.created") {
    candidates.push({ type: "booking.created", key: p.uri });
  }
  switch (event) {
    case "invitee.created":
      candidates.push(
        p.old_invitee
          ? {
              type: "booking.rescheduled",
              key: p.old_invitee,
              extra: { fromInviteeUri: p.old_invitee, toInviteeUri: p.uri },
            }
          : { type: "booking.created", key: p.uri },
      );
      break;
    case "invitee.canceled":
      candidates.push(
        p.rescheduled
          ? {
              type: "booking.rescheduled",
              key: p.uri,
              extra: { fromInviteeUri: p.uri, toInviteeUri: p.new_invitee ?? null },
            }
          : { type: "booking.canceled", key: p.uri },
      );
      break;
    case "invitee_no_show.created":
      if (p.no_show) candidates.push({ type: "invitee.no_show_marked", key: p.no_show.uri });
      break;
    case "invitee_no_show.deleted":
      if (before?.noShowUri)
        candidates.push({ type: "invitee.no_show_cleared", key: before.noShowUri });
      break;
  }

  const applied: AppliedChange[] = [];
  for (const c of candidates) {
    const first = await recordDomainEvent(scope, {
      type: c.type,
      dedupeKey: `${c.type}|${c.key}`,
      sessionId: session.id,
      payload: { ...payload, ...c.extra },
    });
    if (first) applied.push({ type: c.type, sessionId: session.id });
  }
  return applied;
}
