/** The domain-event outbox: an event is recorded once per dedupe key, never twice. */
import { and, asc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import type { Database } from "./client";
import { type DomainEventType, domainEvents } from "./schema";

/** Returns true when this is the first time the change was recorded. */
export async function recordDomainEvent(
  { db, coachId }: CoachScope,
  e: {
    type: DomainEventType;
    dedupeKey: string;
    sessionId: string | null;
    payload: Record<string, unknown>;
  },
): Promise<boolean> {
  const rows = await db
    .insert(domainEvents)
    .values({ id: newId("dev"), coachId, ...e })
    .onConflictDoNothing({ target: domainEvents.dedupeKey })
    .returning({ id: domainEvents.id });
  return rows.length > 0;
}

export function listDomainEvents({ db, coachId }: CoachScope) {
  return db
    .select()
    .from(domainEvents)
    .where(eq(domainEvents.coachId, coachId))
    .orderBy(asc(domainEvents.createdAt));
}

export async function getDomainEvent({ db, coachId }: CoachScope, id: string) {
  const [row] = await db
    .select()
    .from(domainEvents)
    .where(and(eq(domainEvents.coachId, coachId), eq(domainEvents.id, id)));
  return row ?? null;
}

/**
 * Claims up to DOMAIN_EVENT_CLAIM_SIZE events not yet handed to their reactors (one coach's, or anyone's for the
 * sweep), oldest first, in one UPDATE … RETURNING. A claim is a lease: one older than `leaseUntil`
 * has lapsed (its dispatcher died before sending) and is claimed again.
 */
/** 90, not 100: marking them sent binds every id plus the time, and D1 binds at most 100. */
export const DOMAIN_EVENT_CLAIM_SIZE = 90;

export function claimUnsentDomainEvents(
  db: Database,
  {
    coachId,
    now,
    leaseUntil,
    recordedBefore,
  }: {
    coachId?: string;
    now: Date;
    leaseUntil: Date;
    recordedBefore?: Date;
  },
) {
  const due = db
    .select({ id: domainEvents.id })
    .from(domainEvents)
    .where(
      and(
        isNull(domainEvents.reactionsSentAt),
        coachId ? eq(domainEvents.coachId, coachId) : undefined,
        recordedBefore ? lt(domainEvents.createdAt, recordedBefore) : undefined,
        or(
          isNull(domainEvents.reactionsClaimedAt),
          lt(domainEvents.reactionsClaimedAt, leaseUntil),
        ),
      ),
    )
    .orderBy(asc(domainEvents.createdAt))
    .limit(DOMAIN_EVENT_CLAIM_SIZE);
  return db
    .update(domainEvents)
    .set({ reactionsClaimedAt: now })
    .where(and(inArray(domainEvents.id, due), isNull(domainEvents.reactionsSentAt)))
    .returning({ id: domainEvents.id, coachId: domainEvents.coachId });
}

export function markReactionsSent(db: Database, ids: string[], now: Date) {
  return db.update(domainEvents).set({ reactionsSentAt: now }).where(inArray(domainEvents.id, ids));
}
