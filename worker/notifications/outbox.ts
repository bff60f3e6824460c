/**
 * The notification outbox's queries. Planning is an insert that does nothing when the row's
 * idempotency key exists, so replanning after a duplicated or reordered event is free; sending
 * starts with a claim (one UPDATE … RETURNING over a bounded page) so two claimers never share a row.
 */
import { and, desc, eq, inArray, lte, notInArray, or, type SQL, sql } from "drizzle-orm";
import { type Database, inChunks } from "../db/client";
import { type NotificationStatus, notificationOutbox, type StoredMessage } from "../db/schema";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import type { NotificationKind } from "./kinds";

export type OutboxRow = typeof notificationOutbox.$inferSelect;

export type PlannedMessage = {
  chainId: string | null;
  sessionId: string | null;
  inviteeId: string | null;
  kind: NotificationKind;
  recipient: string;
  idempotencyKey: string;
  dueAt: Date;
  plannedStartAt?: Date | null;
  offsetMinutes?: number | null;
  previousStartAt?: Date | null;
  /** Planned already decided: e.g. a reminder whose time had passed when the booking was made. */
  skipReason?: string | null;
  message?: StoredMessage | null;
  resendOf?: string | null;
};

/** What one claim hands the queue: the row, and the claim it won (a later re-claim supersedes it). */
export type Claim = { outboxId: string; coachId: string; claimedAt: number };

/** One page of a claim: D1 binds ≤ 100 parameters, a sendBatch takes ≤ 100 messages. */
export const CLAIM_PAGE = 100;
/** A claim whose message never settled (a lost queue message) is claimed again after this. */
export const CLAIM_LEASE_MS = 30 * 60_000;

export async function planMessages(scope: CoachScope, planned: PlannedMessage[]): Promise<void> {
  // 24 columns a row: four rows a statement stays under D1's 100 bound parameters.
  for (let i = 0; i < planned.length; i += 4) {
    const rows = planned.slice(i, i + 4).map((p) => ({
      id: newId("ntf"),
      coachId: scope.coachId,
      chainId: p.chainId,
      sessionId: p.sessionId,
      inviteeId: p.inviteeId,
      kind: p.kind,
      recipient: p.recipient,
      idempotencyKey: p.idempotencyKey,
      dueAt: p.dueAt,
      plannedStartAt: p.plannedStartAt ?? null,
      offsetMinutes: p.offsetMinutes ?? null,
      previousStartAt: p.previousStartAt ?? null,
      status: (p.skipReason ? "skipped" : "planned") as NotificationStatus,
      skipReason: p.skipReason ?? null,
      message: p.message ?? null,
      resendOf: p.resendOf ?? null,
    }));
    await scope.db.insert(notificationOutbox).values(rows).onConflictDoNothing();
  }
}

/**
 * Reminders of the chain's bookings still waiting that are not among `keep`: the session moved or
 * ended. By booking, not chain id, so rows planned before a chain was renamed are found too.
 */
export async function revokeReminders(
  scope: CoachScope,
  chain: { bookings: { invitee: { id: string } }[] },
  keep: string[],
  reason: string,
): Promise<number> {
  const o = notificationOutbox;
  const rows = await scope.db
    .update(o)
    .set({ status: "revoked", skipReason: reason, updatedAt: new Date() })
    .where(
      and(
        eq(o.coachId, scope.coachId),
        inArray(
          o.inviteeId,
          chain.bookings.map((b) => b.invitee.id),
        ),
        eq(o.kind, "reminder"),
        inArray(o.status, ["planned", "claimed"]),
        keep.length > 0 ? notInArray(o.idempotencyKey, keep) : undefined,
      ),
    )
    .returning({ id: o.id });
  return rows.length;
}

/**
 * Claims up to one page of due rows: planned and due, or claimed so long ago that the message
 * carrying the claim is lost. Optionally one coach's chain (the planner sends its notices at once).
 */
export async function claimDue(
  db: Database,
  now: Date,
  only?: { coachId: string; chainId: string },
): Promise<Claim[]> {
  const o = notificationOutbox;
  const lapsed = new Date(now.getTime() - CLAIM_LEASE_MS);
  const due = or(
    and(eq(o.status, "planned"), lte(o.dueAt, now)),
    and(eq(o.status, "claimed"), lte(o.claimedAt, lapsed)),
  );
  const page = db
    .select({ id: o.id })
    .from(o)
    .where(only ? and(eq(o.coachId, only.coachId), eq(o.chainId, only.chainId), due) : due)
    .orderBy(o.dueAt)
    .limit(CLAIM_PAGE);
  const rows = await db
    .update(o)
    .set({ status: "claimed", claimedAt: now, updatedAt: now })
    .where(and(inArray(o.id, page), due))
    .returning({ id: o.id, coachId: o.coachId });
  return rows.map((r) => ({ outboxId: r.id, coachId: r.coachId, claimedAt: now.getTime() }));
}

export async function enqueueClaims(env: Env, claims: Claim[]): Promise<void> {
  for (let i = 0; i < claims.length; i += CLAIM_PAGE) {
    await env.NOTIFICATIONS.sendBatch(claims.slice(i, i + CLAIM_PAGE).map((body) => ({ body })));
  }
}

export async function getOutboxRow(scope: CoachScope, id: string) {
  return scope.db
    .select()
    .from(notificationOutbox)
    .where(and(eq(notificationOutbox.coachId, scope.coachId), eq(notificationOutbox.id, id)))
    .get();
}

/** Settles a row, but only while the claim that is settling it is still the row's claim. */
export async function settle(
  scope: CoachScope,
  claim: { id: string; claimedAt: Date },
  set: Partial<
    Pick<
      OutboxRow,
      | "status"
      | "skipReason"
      | "attempts"
      | "transport"
      | "providerMessageId"
      | "sentAt"
      | "lastError"
      | "message"
    >
  >,
): Promise<boolean> {
  const o = notificationOutbox;
  const rows = await scope.db
    .update(o)
    .set({ ...set, updatedAt: new Date() })
    .where(
      and(
        eq(o.coachId, scope.coachId),
        eq(o.id, claim.id),
        eq(o.status, "claimed"),
        eq(o.claimedAt, claim.claimedAt),
      ),
    )
    .returning({ id: o.id });
  return rows.length > 0;
}

export const bumpAttempts = (scope: CoachScope, id: string, error: string) =>
  scope.db
    .update(notificationOutbox)
    .set({ attempts: sql`${notificationOutbox.attempts} + 1`, lastError: error.slice(0, 500) })
    .where(and(eq(notificationOutbox.coachId, scope.coachId), eq(notificationOutbox.id, id)));

/** A session's or a client's messages, newest first (communication history). */
export async function listMessages(
  scope: CoachScope,
  by: { sessionIds?: string[]; recipient?: string },
  limit = 100,
) {
  const o = notificationOutbox;
  const page = (filter: SQL) =>
    scope.db
      .select()
      .from(o)
      .where(and(eq(o.coachId, scope.coachId), filter))
      .orderBy(desc(o.dueAt), desc(o.createdAt))
      .limit(limit)
      .all();
  if (!by.sessionIds) return page(eq(o.recipient, by.recipient ?? ""));
  // D1 binds at most 100 parameters: a long chain's sessions are read in chunks, merged here.
  const rows = await inChunks(by.sessionIds, (ids) => page(inArray(o.sessionId, ids)));
  return rows
    .sort(
      (a, b) =>
        b.dueAt.getTime() - a.dueAt.getTime() || b.createdAt.getTime() - a.createdAt.getTime(),
    )
    .slice(0, limit);
}
