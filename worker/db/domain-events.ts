/** The domain-event outbox: an event is recorded once per dedupe key, never twice. */
import { asc, eq } from "drizzle-orm";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
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
