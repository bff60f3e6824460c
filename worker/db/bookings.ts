/**
 * Sessions and invitees mirrored from Calendly, upserted by Calendly URI. An upsert never replaces
 * newer data with older (Calendly's updated_at decides), so redelivered or reordered webhooks are
 * harmless.
 */
import { and, eq, or, sql } from "drizzle-orm";
import type { InviteePayload } from "../calendly/invitee-payload";
import { inviteeName } from "../calendly/invitee-payload";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
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
  await db
    .insert(sessions)
    .values({ id: newId("ses"), coachId, calendlyUri: ev.uri, ...fields })
    .onConflictDoUpdate({
      target: sessions.calendlyUri,
      set: fields,
      setWhere: and(eq(sessions.coachId, coachId), notOlder(sessions.calendlyUpdatedAt)),
    });
  const row = await db.query.sessions.findFirst({
    where: and(eq(sessions.calendlyUri, ev.uri), eq(sessions.coachId, coachId)),
  });
  if (!row) throw new Error("session belongs to another coach");
  return row;
}

/** Returns the invitee as stored before this upsert (undefined if new). */
export async function upsertInvitee(
  { db, coachId }: CoachScope,
  sessionId: string,
  p: InviteePayload,
) {
  const before = await findInvitee({ db, coachId }, p.uri);
  const fields = {
    sessionId,
    email: p.email,
    name: inviteeName(p),
    timeZone: p.timezone ?? null,
    status: p.status,
    noShowUri: p.no_show?.uri ?? null,
    rescheduled: p.rescheduled,
    oldInviteeUri: p.old_invitee ?? before?.oldInviteeUri ?? null,
    newInviteeUri: p.new_invitee ?? before?.newInviteeUri ?? null,
    canceledBy: p.cancellation?.canceled_by ?? null,
    cancelReason: p.cancellation?.reason ?? null,
    cancelerType: p.cancellation?.canceler_type ?? null,
    calendlyUpdatedAt: p.updated_at,
    updatedAt: new Date(),
  };
  await db
    .insert(invitees)
    .values({ id: newId("inv"), coachId, calendlyUri: p.uri, ...fields })
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

/** The other half of a reschedule, whichever way round it is linked. */
export function findRescheduleCounterpart({ db, coachId }: CoachScope, inviteeUri: string) {
  return db.query.invitees.findFirst({
    where: and(
      eq(invitees.coachId, coachId),
      or(eq(invitees.newInviteeUri, inviteeUri), eq(invitees.oldInviteeUri, inviteeUri)),
    ),
  });
}
