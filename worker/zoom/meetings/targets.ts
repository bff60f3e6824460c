/**
 * Which meeting a booking change concerns, and what that meeting should be NOW — read from the
 * current sessions and invitees, never from the event that prompted the look (events arrive twice
 * or late). One-to-one bookings are followed along their chain (a reschedule moves the meeting);
 * a group event has one meeting for the scheduled event, whoever joins or leaves it.
 */
import { and, desc, eq } from "drizzle-orm";
import { coaches, eventTypes, invitees, sessions } from "../../db/schema";
import type { CoachScope } from "../../env";
import {
  type Conferencing,
  DEFAULT_CONFERENCING,
  type MeetingPlan,
  planMeeting,
  wantsMeeting,
} from "./plan";
import { chainKey, getConferencing, sessionKey } from "./store";

export type Target =
  | { kind: "chain"; chainId: string; meetingKey: string }
  | { kind: "session"; sessionId: string; meetingKey: string };

export const chainTarget = (chainId: string): Target => ({
  kind: "chain",
  chainId,
  meetingKey: chainKey(chainId),
});
export const sessionTarget = (sessionId: string): Target => ({
  kind: "session",
  sessionId,
  meetingKey: sessionKey(sessionId),
});

/**
 * - `meet`: the booking is on, at `plan`; a meeting that exists follows it, and a new one is made
 *   when the event type asks for Zoom and the booking was made since (`wanted`).
 * - `remove`: the booking is over (canceled, nobody left in the group): delete the meeting.
 * - `hold`: leave the meeting as it is — the session has ended (history), or a reschedule's new
 *   half has not arrived yet (the meeting will move, not die).
 */
export type Desired =
  | { action: "meet"; plan: MeetingPlan; wanted: boolean }
  | { action: "remove" }
  | { action: "hold" };

type SessionRow = typeof sessions.$inferSelect;

function sessionById({ db, coachId }: CoachScope, id: string) {
  return db.query.sessions.findFirst({
    where: and(eq(sessions.coachId, coachId), eq(sessions.id, id)),
  });
}

async function eventTypeOf({ db, coachId }: CoachScope, session: SessionRow) {
  if (!session.eventTypeUri) return undefined;
  return db.query.eventTypes.findFirst({
    where: and(eq(eventTypes.coachId, coachId), eq(eventTypes.calendlyUri, session.eventTypeUri)),
  });
}

const inviteesOf = ({ db, coachId }: CoachScope, sessionId: string) =>
  db
    .select()
    .from(invitees)
    .where(and(eq(invitees.coachId, coachId), eq(invitees.sessionId, sessionId)));

/** The targets a change of this session touches: its group meeting, or its bookings' chains. */
export async function targetsOfSession(scope: CoachScope, sessionId: string): Promise<Target[]> {
  const session = await sessionById(scope, sessionId);
  if (!session) return [];
  const type = await eventTypeOf(scope, session);
  if (type?.kind === "group") return [sessionTarget(sessionId)];
  const people = await inviteesOf(scope, sessionId);
  return [...new Set(people.map((p) => p.chainId ?? p.id))].map(chainTarget);
}

async function planFor(
  scope: CoachScope,
  session: SessionRow,
  people: { name: string; email: string }[],
  group: boolean,
): Promise<{ plan: MeetingPlan; wanted: boolean }> {
  const type = await eventTypeOf(scope, session);
  const conferencing: Conferencing = type
    ? await getConferencing(scope, type.id)
    : DEFAULT_CONFERENCING;
  const coach = await scope.db.query.coaches.findFirst({
    where: eq(coaches.id, scope.coachId),
    columns: { timeZone: true },
  });
  const plan = planMeeting({
    session,
    clientNames: people.map((p) => p.name),
    inviteeEmails: people.map((p) => p.email),
    group,
    coachTimeZone: coach?.timeZone ?? "UTC",
    conferencing,
  });
  return { plan, wanted: wantsMeeting(conferencing, session.bookedAt) };
}

export async function desiredOf(
  scope: CoachScope,
  target: Target,
  now = new Date(),
): Promise<Desired> {
  return target.kind === "chain"
    ? desiredOfChain(scope, target.chainId, now)
    : desiredOfGroupSession(scope, target.sessionId, now);
}

async function desiredOfChain(scope: CoachScope, chainId: string, now: Date): Promise<Desired> {
  const members = await scope.db
    .select({ invitee: invitees, session: sessions })
    .from(invitees)
    .innerJoin(sessions, eq(sessions.id, invitees.sessionId))
    .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.chainId, chainId)))
    .orderBy(desc(sessions.startsAt));
  const live = members.find((m) => m.invitee.status === "active" && m.session.status === "active");
  if (live) {
    if (live.session.endsAt <= now) return { action: "hold" };
    return { action: "meet", ...(await planFor(scope, live.session, [live.invitee], false)) };
  }
  const held = new Set(members.map((m) => m.invitee.calendlyUri));
  // Moved away, but the booking it moved to is not on the chain yet: the meeting waits for it.
  const moving = members.some(
    (m) =>
      m.invitee.rescheduled && (!m.invitee.newInviteeUri || !held.has(m.invitee.newInviteeUri)),
  );
  if (moving) return { action: "hold" };
  const ended = members.length > 0 && members.every((m) => m.session.endsAt <= now);
  return ended ? { action: "hold" } : { action: "remove" };
}

async function desiredOfGroupSession(
  scope: CoachScope,
  sessionId: string,
  now: Date,
): Promise<Desired> {
  const session = await sessionById(scope, sessionId);
  if (!session) return { action: "remove" };
  if (session.endsAt <= now) return { action: "hold" };
  const people = (await inviteesOf(scope, sessionId)).filter((p) => p.status === "active");
  if (session.status === "canceled" || people.length === 0) return { action: "remove" };
  return { action: "meet", ...(await planFor(scope, session, people, true)) };
}
