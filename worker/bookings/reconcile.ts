/**
 * Reconciliation: walks Calendly's scheduled events in a run's window one page at a time and feeds
 * every invitee through the same upsert path as webhooks, so whatever a lost webhook missed is
 * repaired and emits the same domain events (dedupe keys make already-known changes no-ops).
 * The page cursor is saved only after a page is fully applied: a crash resumes, never skips.
 * What Calendly answers is true as of the moment it was read, so that moment orders it against
 * webhooks (a no-show change delivered late must not undo what reconcile saw after it).
 */
import type { InviteePayload } from "../calendly/invitee-payload";
import { findInvitee, markReconciled, retireExtras } from "../db/bookings";
import { getCoach } from "../db/coaches";
import { getSyncRun, recordSyncPage } from "../db/sync-runs";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import { dispatchDomainEvents } from "../reactions/dispatch";
import { applyInviteeChange } from "./apply-calendly-event";

const DAY = 86_400_000;
export const IMPORT_WINDOW = { backDays: 90, aheadDays: 365 };
export const SYNC_WINDOW = { backDays: 7, aheadDays: 90 };

export const windowAround = (now: Date, w: { backDays: number; aheadDays: number }) => ({
  start: new Date(now.getTime() - w.backDays * DAY),
  end: new Date(now.getTime() + w.aheadDays * DAY),
});

export async function syncNextPage(env: Env, scope: CoachScope, runId: string) {
  const run = await getSyncRun(scope, runId);
  if (!run || run.status !== "running") return { done: true };
  const coach = await getCoach(scope.db, scope.coachId);
  if (!coach) return { done: true };
  const calendly = calendlyFor(env, scope.coachId);

  const readAt = new Date();
  const page = await calendly.scheduledEventsPage(
    coach.calendlyUserUri,
    { start: run.windowStart, end: run.windowEnd },
    run.cursor,
  );
  let seen = 0;
  let fixed = 0;
  for (const event of page.collection) {
    for await (const invitee of calendly.eventInvitees(event.uri)) {
      seen++;
      if (await repairInvitee(scope, { ...invitee, scheduled_event: event }, readAt)) fixed++;
    }
  }
  await markReconciled(
    scope,
    page.collection.map((e) => e.uri),
  );
  const nextCursor = page.pagination.next_page_token;
  if (!nextCursor) fixed += await retireExtras(scope, run);
  await recordSyncPage(scope, runId, { seen, fixed, nextCursor });
  // What this page repaired is booking news like a webhook's: hand it to the reactors now.
  await dispatchDomainEvents(env, scope.db, { coachId: scope.coachId });
  return { done: !nextCursor };
}

/**
 * Re-reads one event and its invitees from Calendly and applies them — right after Kairos itself
 * changed the event there, so the coach sees the result without waiting for the webhook.
 */
export async function refreshEvent(env: Env, scope: CoachScope, eventUri: string) {
  const calendly = calendlyFor(env, scope.coachId);
  const readAt = new Date();
  const event = await calendly.getEvent(eventUri);
  for await (const invitee of calendly.eventInvitees(eventUri)) {
    await repairInvitee(scope, { ...invitee, scheduled_event: event }, readAt);
  }
  await dispatchDomainEvents(env, scope.db, { coachId: scope.coachId });
}

/**
 * Applies Calendly's view of one invitee; true when Kairos's copy was missing or out of date. Its
 * no-show state (marked or cleared) goes through the same path, which compares it with the state
 * held before, so a missed clear is recorded too.
 */
async function repairInvitee(scope: CoachScope, p: InviteePayload, readAt: Date) {
  const stored = await findInvitee(scope, p.uri);
  const differs =
    !stored ||
    stored.status !== p.status ||
    (stored.noShowUri ?? null) !== (p.no_show?.uri ?? null) ||
    (stored.calendlyUpdatedAt?.getTime() ?? 0) < p.updated_at.getTime();
  await applyInviteeChange(
    scope,
    p.status === "canceled" ? "invitee.canceled" : "invitee.created",
    p,
    readAt,
  );
  return differs;
}
