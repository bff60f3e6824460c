/**
 * The `zoom_meetings` rows and the event types' conferencing choices, always scoped to one coach.
 * A row is the intent: inserted (once per meeting key, whoever races) before Zoom is asked, claimed
 * with a short lease by the one job that talks to Zoom about it, and released with the outcome.
 */
import { and, eq, inArray, isNull, lt, ne, or } from "drizzle-orm";
import { inChunks } from "../../db/client";
import { eventTypeConferencing, zoomMeetings } from "../../db/schema";
import type { CoachScope } from "../../env";
import { newId } from "../../lib/ids";
import { type Conferencing, DEFAULT_CONFERENCING } from "./plan";

export type MeetingRow = typeof zoomMeetings.$inferSelect;

/** The meeting key: a one-to-one booking's chain (moves keep it) or a group event's session. */
export const chainKey = (chainId: string) => `chain:${chainId}`;
export const sessionKey = (sessionId: string) => `session:${sessionId}`;
/** The id the agenda marker names (`kairos:<bookingId>`): the chain's first booking, or the session. */
export const bookingIdOf = (meetingKey: string) => meetingKey.replace(/^(chain|session):/, "");

export async function getConferencing(
  { db, coachId }: CoachScope,
  eventTypeId: string,
): Promise<Conferencing> {
  const row = await db.query.eventTypeConferencing.findFirst({
    where: and(
      eq(eventTypeConferencing.coachId, coachId),
      eq(eventTypeConferencing.eventTypeId, eventTypeId),
    ),
  });
  return row ? conferencingOf(row) : DEFAULT_CONFERENCING;
}

export async function listConferencing({ db, coachId }: CoachScope) {
  const rows = await db
    .select()
    .from(eventTypeConferencing)
    .where(eq(eventTypeConferencing.coachId, coachId));
  return new Map(rows.map((r) => [r.eventTypeId, conferencingOf(r)]));
}

const conferencingOf = (r: typeof eventTypeConferencing.$inferSelect): Conferencing => ({
  provider: r.provider,
  waitingRoom: r.waitingRoom,
  joinBeforeHost: r.joinBeforeHost,
  passcodeMode: r.passcodeMode,
  passcode: r.passcode,
  zoomSince: r.zoomSince,
});

export async function saveConferencing(
  { db, coachId }: CoachScope,
  eventTypeId: string,
  c: Conferencing,
) {
  const fields = { ...c, updatedAt: new Date() };
  await db
    .insert(eventTypeConferencing)
    .values({ eventTypeId, coachId, ...fields })
    .onConflictDoUpdate({
      target: eventTypeConferencing.eventTypeId,
      set: fields,
      setWhere: eq(eventTypeConferencing.coachId, coachId),
    });
}

export function getMeetingRow({ db, coachId }: CoachScope, id: string) {
  return db.query.zoomMeetings.findFirst({
    where: and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.id, id)),
  });
}

export function meetingRowByKey({ db, coachId }: CoachScope, meetingKey: string) {
  return db.query.zoomMeetings.findFirst({
    where: and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.meetingKey, meetingKey)),
  });
}

/** The rows following a chain (normally one; two only after chains merged, ADR 0010). */
export function meetingRowsOfChain({ db, coachId }: CoachScope, chainId: string) {
  return db
    .select()
    .from(zoomMeetings)
    .where(and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.chainId, chainId)));
}

/** A late predecessor handed its chain id down (`replacedChainId`): its rows follow. */
export async function followChainMerge(
  { db, coachId }: CoachScope,
  replacedChainId: string,
  chainId: string,
) {
  await db
    .update(zoomMeetings)
    .set({ chainId, updatedAt: new Date() })
    .where(and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.chainId, replacedChainId)));
}

/** The row serving a session now (the session list's and detail's `zoom`). */
export function meetingRowOfSession({ db, coachId }: CoachScope, sessionId: string) {
  return db.query.zoomMeetings.findFirst({
    where: and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.sessionId, sessionId)),
  });
}

export async function meetingRowsOfSessions({ db, coachId }: CoachScope, sessionIds: string[]) {
  return inChunks(sessionIds, (ids) =>
    db
      .select()
      .from(zoomMeetings)
      .where(and(eq(zoomMeetings.coachId, coachId), inArray(zoomMeetings.sessionId, ids))),
  );
}

/** Writes the intent (status `creating`) unless the key has a row; returns the key's row. */
export async function ensureMeetingRow(
  scope: CoachScope,
  r: { meetingKey: string; chainId: string | null; sessionId: string },
): Promise<MeetingRow> {
  await scope.db
    .insert(zoomMeetings)
    .values({ id: newId("zmt"), coachId: scope.coachId, status: "creating", ...r })
    .onConflictDoNothing({ target: [zoomMeetings.coachId, zoomMeetings.meetingKey] });
  const row = await meetingRowByKey(scope, r.meetingKey);
  if (!row) throw new Error("zoom meeting intent vanished");
  return row;
}

/** How long one job may talk to Zoom about a meeting before another may take over. */
export const MEETING_LEASE_MS = 60_000;

/** Claims the row for one job (a lapsed lease counts as free); null when another job holds it. */
export async function claimMeetingRow(
  { db, coachId }: CoachScope,
  id: string,
  now = new Date(),
): Promise<MeetingRow | null> {
  const [row] = await db
    .update(zoomMeetings)
    .set({ lockedUntil: new Date(now.getTime() + MEETING_LEASE_MS) })
    .where(
      and(
        eq(zoomMeetings.coachId, coachId),
        eq(zoomMeetings.id, id),
        or(isNull(zoomMeetings.lockedUntil), lt(zoomMeetings.lockedUntil, now)),
      ),
    )
    .returning();
  return row ?? null;
}

export type MeetingUpdate = Partial<
  Omit<MeetingRow, "id" | "coachId" | "meetingKey" | "createdAt" | "updatedAt">
>;

/** A job's hold on a row: the `locked_until` it wrote (claimed, or renewed before a create). */
export type Lease = { until: Date };

export const leaseOf = (row: MeetingRow): Lease => ({ until: row.lockedUntil ?? new Date(0) });

/**
 * Writes only while the lease is still the job's own (`locked_until` unchanged): a job slower than
 * its lease was overtaken, and the one that took over owns the row now. False when it was lost.
 */
export async function updateHeldRow(
  { db, coachId }: CoachScope,
  id: string,
  lease: Lease,
  u: MeetingUpdate,
): Promise<boolean> {
  const rows = await db
    .update(zoomMeetings)
    .set({ ...u, updatedAt: new Date() })
    .where(
      and(
        eq(zoomMeetings.coachId, coachId),
        eq(zoomMeetings.id, id),
        eq(zoomMeetings.lockedUntil, lease.until),
      ),
    )
    .returning({ id: zoomMeetings.id });
  if (rows.length > 0 && u.lockedUntil) lease.until = u.lockedUntil;
  return rows.length > 0;
}

/** Renews the lease for a full term from now (right before a create), writing `u` with it. */
export function renewLease(scope: CoachScope, id: string, lease: Lease, u: MeetingUpdate = {}) {
  const from = Math.max(Date.now(), lease.until.getTime() - MEETING_LEASE_MS);
  return updateHeldRow(scope, id, lease, { ...u, lockedUntil: new Date(from + MEETING_LEASE_MS) });
}

export async function updateMeetingRow({ db, coachId }: CoachScope, id: string, u: MeetingUpdate) {
  await db
    .update(zoomMeetings)
    .set({ ...u, updatedAt: new Date() })
    .where(and(eq(zoomMeetings.coachId, coachId), eq(zoomMeetings.id, id)));
}

/**
 * Whether Zoom matters to this coach's bookings at all: an event type set to Zoom, or a meeting
 * that still follows its booking. Most events of most coaches stop here, after two indexed reads.
 */
export async function coachUsesZoom({ db, coachId }: CoachScope): Promise<boolean> {
  const [setting] = await db
    .select({ one: eventTypeConferencing.eventTypeId })
    .from(eventTypeConferencing)
    .where(
      and(eq(eventTypeConferencing.coachId, coachId), eq(eventTypeConferencing.provider, "zoom")),
    )
    .limit(1);
  if (setting) return true;
  const [meeting] = await db
    .select({ one: zoomMeetings.id })
    .from(zoomMeetings)
    .where(and(eq(zoomMeetings.coachId, coachId), ne(zoomMeetings.status, "deleted")))
    .limit(1);
  return meeting !== undefined;
}

/** Rows of the coach still waiting for Zoom (after a reconnect, for instance). */
export function pendingMeetingRows({ db, coachId }: CoachScope) {
  return db
    .select({ id: zoomMeetings.id })
    .from(zoomMeetings)
    .where(
      and(
        eq(zoomMeetings.coachId, coachId),
        ne(zoomMeetings.status, "ready"),
        ne(zoomMeetings.status, "deleted"),
      ),
    );
}
