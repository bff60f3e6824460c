/**
 * Sessions and invitees mirrored from Calendly, upserted by Calendly URI. An upsert never replaces
 * newer data with older (Calendly's updated_at decides), so redelivered or reordered webhooks are
 * harmless. The no-show state is the exception: Calendly does not bump updated_at when a no-show is
 * marked or cleared, so it is ordered by when the change was seen to happen (`observeNoShow`).
 */
import { and, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { InviteePayload } from "../calendly/invitee-payload";
import { inviteeName } from "../calendly/invitee-payload";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import { releaseIntentOf } from "./booking-intents";
import { recordDomainEvent } from "./domain-events";
import { invitees, sessions } from "./schema";

const notOlder = (column: typeof sessions.calendlyUpdatedAt | typeof invitees.calendlyUpdatedAt) =>
  sql`excluded.calendly_updated_at >= ${column} or ${column} is null`;

export async function upsertSession({ db, coachId }: CoachScope, p: InviteePayload) {
  const ev = p.scheduled_event;
  const fields = {
    eventTypeUri: ev.event_type ?? null,
    name: ev.name,
    status: ev.status,
    startsAt: ev.start_time,
    endsAt: ev.end_time,
    location: ev.location ?? null,
    canceledAt: ev.status === "canceled" ? p.updated_at : null,
    calendlyUpdatedAt: ev.updated_at ?? p.updated_at,
    updatedAt: new Date(),
  };
  // Calendly's created_at when it gives one; else the first sighting (never moved later on).
  const bookedAt = ev.created_at ?? new Date();
  await db
    .insert(sessions)
    .values({ id: newId("ses"), coachId, calendlyUri: ev.uri, bookedAt, ...fields })
    .onConflictDoUpdate({
      target: sessions.calendlyUri,
      set: ev.created_at ? { ...fields, bookedAt } : fields,
      setWhere: and(eq(sessions.coachId, coachId), notOlder(sessions.calendlyUpdatedAt)),
    });
  const row = await db.query.sessions.findFirst({
    where: and(eq(sessions.calendlyUri, ev.uri), eq(sessions.coachId, coachId)),
  });
  if (!row) throw new Error("session belongs to another coach");
  return row;
}

/**
 * Returns the invitee as stored before this upsert (undefined if new). A new row takes the
 * payload's no-show state as of `seenAt`; a known one changes it only through `observeNoShow`.
 */
export async function upsertInvitee(
  { db, coachId }: CoachScope,
  sessionId: string,
  p: InviteePayload,
  seenAt: Date,
) {
  const before = await findInvitee({ db, coachId }, p.uri);
  const fields = {
    sessionId,
    email: p.email,
    name: inviteeName(p),
    timeZone: p.timezone ?? null,
    status: p.status,
    rescheduled: p.rescheduled,
    oldInviteeUri: p.old_invitee ?? before?.oldInviteeUri ?? null,
    newInviteeUri: p.new_invitee ?? before?.newInviteeUri ?? null,
    canceledBy: p.cancellation?.canceled_by ?? null,
    cancelReason: p.cancellation?.reason ?? null,
    cancelerType: p.cancellation?.canceler_type ?? null,
    // A payload without answers (older API shapes) does not erase the ones we hold.
    answers: p.questions_and_answers.length ? p.questions_and_answers : (before?.answers ?? []),
    tracking: Object.keys(p.tracking).length ? p.tracking : (before?.tracking ?? {}),
    payment: p.payment ?? before?.payment ?? null,
    rescheduleUrl: p.reschedule_url ?? before?.rescheduleUrl ?? null,
    calendlyUpdatedAt: p.updated_at,
    updatedAt: new Date(),
  };
  const id = newId("inv");
  await db
    .insert(invitees)
    // Every booking starts its own chain; a reschedule joins the successor to its predecessor's.
    .values({
      id,
      coachId,
      calendlyUri: p.uri,
      chainId: id,
      noShowUri: p.no_show?.uri ?? null,
      noShowChangedAt: seenAt,
      ...fields,
    })
    .onConflictDoUpdate({
      target: invitees.calendlyUri,
      set: fields,
      setWhere: and(eq(invitees.coachId, coachId), notOlder(invitees.calendlyUpdatedAt)),
    });
  return before;
}

export function findInvitee({ db, coachId }: CoachScope, calendlyUri: string) {
  return db.query.invitees.findFirst({
    where: and(eq(invitees.calendlyUri, calendlyUri), eq(invitees.coachId, coachId)),
  });
}

export type InviteeRow = typeof invitees.$inferSelect;

/**
 * An invitee with the bookings it was moved from and to, in one read. Either half of a reschedule
 * names the link (the half that arrives first may not know the other's URI), so both directions
 * are looked up.
 */
export async function findWithMoveNeighbours(scope: CoachScope, inviteeUri: string) {
  const { db, coachId } = scope;
  const rows = await db
    .select()
    .from(invitees)
    .where(
      and(
        eq(invitees.coachId, coachId),
        or(
          eq(invitees.calendlyUri, inviteeUri),
          eq(invitees.oldInviteeUri, inviteeUri),
          eq(invitees.newInviteeUri, inviteeUri),
        ),
      ),
    );
  const me = rows.find((r) => r.calendlyUri === inviteeUri);
  if (!me) return null;
  const named = async (uri: string | null) =>
    uri ? (rows.find((r) => r.calendlyUri === uri) ?? (await findInvitee(scope, uri))) : undefined;
  return {
    me,
    before: (await named(me.oldInviteeUri)) ?? rows.find((r) => r.newInviteeUri === inviteeUri),
    after: (await named(me.newInviteeUri)) ?? rows.find((r) => r.oldInviteeUri === inviteeUri),
  };
}

/**
 * Applies one sighting of an invitee's no-show state (`noShowUri`, null = none) as of `at`, unless
 * a later sighting was applied already (the condition is checked in the write, not before it).
 */
export async function observeNoShow(
  { db, coachId }: CoachScope,
  inviteeUri: string,
  noShowUri: string | null,
  at: Date,
) {
  await db
    .update(invitees)
    .set({ noShowUri, noShowChangedAt: at })
    .where(
      and(
        eq(invitees.calendlyUri, inviteeUri),
        eq(invitees.coachId, coachId),
        or(isNull(invitees.noShowChangedAt), lte(invitees.noShowChangedAt, at)),
      ),
    );
}

/**
 * Puts `invitee` (and every later booking already on its chain) on the chain `chainId`: a
 * predecessor that arrives after its successor hands its chain id down the line. Returns the chain
 * id those later bookings had, when there were any (a consumer keyed on it must follow the merge).
 */
export async function joinChain({ db, coachId }: CoachScope, invitee: InviteeRow, chainId: string) {
  const current = invitee.chainId ?? invitee.id;
  if (current === chainId) return null;
  const moved = await db
    .update(invitees)
    .set({ chainId })
    .where(
      and(
        eq(invitees.coachId, coachId),
        or(eq(invitees.chainId, current), eq(invitees.id, invitee.id)),
      ),
    )
    .returning({ id: invitees.id });
  return moved.length > 1 ? current : null;
}

export function getSession({ db, coachId }: CoachScope, id: string) {
  return db.query.sessions.findFirst({
    where: and(eq(sessions.id, id), eq(sessions.coachId, coachId)),
  });
}

/** Stamps the sessions a reconcile page saw at Calendly. */
export async function markReconciled(
  { db, coachId }: CoachScope,
  eventUris: string[],
  at = new Date(),
) {
  if (eventUris.length === 0) return;
  await db
    .update(sessions)
    .set({ lastReconciledAt: at })
    .where(and(eq(sessions.coachId, coachId), inArray(sessions.calendlyUri, eventUris)));
}

/**
 * After a complete run: active sessions in the window that existed when the run began but that
 * Calendly no longer lists are "extra" — canceled here, each active invitee's cancellation
 * recorded once. Returns how many sessions were retired.
 */
export async function retireExtras(
  scope: CoachScope,
  run: { windowStart: Date; windowEnd: Date; startedAt: Date },
) {
  const { db, coachId } = scope;
  const extras = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.coachId, coachId),
        eq(sessions.status, "active"),
        gte(sessions.startsAt, run.windowStart),
        lt(sessions.startsAt, run.windowEnd),
        lt(sessions.createdAt, run.startedAt),
        or(isNull(sessions.lastReconciledAt), lt(sessions.lastReconciledAt, run.startedAt)),
      ),
    );
  for (const { id } of extras) {
    const now = new Date();
    const people = await db
      .select({ uri: invitees.calendlyUri })
      .from(invitees)
      .where(and(eq(invitees.sessionId, id), eq(invitees.status, "active")));
    await db
      .update(sessions)
      .set({
        status: "canceled",
        canceledAt: now,
        cancelReason: "No longer listed in Calendly",
        updatedAt: now,
      })
      .where(eq(sessions.id, id));
    await db
      .update(invitees)
      .set({ status: "canceled", cancelReason: "No longer listed in Calendly", updatedAt: now })
      .where(and(eq(invitees.sessionId, id), eq(invitees.status, "active")));
    for (const p of people) {
      await recordDomainEvent(scope, {
        type: "booking.canceled",
        dedupeKey: `booking.canceled|${p.uri}`,
        sessionId: id,
        payload: { inviteeUri: p.uri, reason: "not_in_calendly" },
      });
      await releaseIntentOf(db, coachId, p.uri, { reason: "canceled" });
    }
  }
  return extras.length;
}
