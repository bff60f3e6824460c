/**
 * A booking chain as it stands now (ADR 0010): every invitee of the chain with its session, and
 * the current one — the booking nobody moved away from. The planner and the sender both read this,
 * so what a message says is what is true when it is planned and again when it is sent.
 */
import { and, eq } from "drizzle-orm";
import { invitees, sessions } from "../db/schema";
import type { CoachScope } from "../env";

export type ChainBooking = {
  invitee: typeof invitees.$inferSelect;
  session: typeof sessions.$inferSelect;
};

export type ChainState = {
  chainId: string;
  bookings: ChainBooking[];
  /** The booking the client holds now (or held last, when the chain ended in a cancel). */
  current: ChainBooking;
  /** Active: the client still has this session. */
  active: boolean;
  /**
   * The iCalendar SEQUENCE of the chain's current state: one per move, plus the session's own
   * version changes, plus one for a cancel. It only ever grows, so calendars apply each update.
   */
  sequence: number;
};

export async function chainOfInviteeUri(scope: CoachScope, inviteeUri: string) {
  const row = await scope.db
    .select({ chainId: invitees.chainId, id: invitees.id })
    .from(invitees)
    .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.calendlyUri, inviteeUri)))
    .get();
  return row ? (row.chainId ?? row.id) : null;
}

export async function chainOfInviteeId(scope: CoachScope, inviteeId: string) {
  const row = await scope.db
    .select({ chainId: invitees.chainId, id: invitees.id })
    .from(invitees)
    .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.id, inviteeId)))
    .get();
  return row ? (row.chainId ?? row.id) : null;
}

export async function loadChain(scope: CoachScope, chainId: string): Promise<ChainState | null> {
  const rows = await scope.db
    .select({ invitee: invitees, session: sessions })
    .from(invitees)
    .innerJoin(sessions, eq(sessions.id, invitees.sessionId))
    .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.chainId, chainId)))
    .all();
  // A booking from before chain ids (or a lone one) is its own chain.
  const bookings = rows.length > 0 ? rows : await loneBooking(scope, chainId);
  if (bookings.length === 0) return null;
  const movedFrom = new Set(bookings.map((b) => b.invitee.oldInviteeUri).filter(Boolean));
  const candidates = bookings.filter(
    (b) => !b.invitee.rescheduled && !movedFrom.has(b.invitee.calendlyUri),
  );
  const pool = candidates.length > 0 ? candidates : bookings;
  const current = pool.reduce((a, b) => (later(b, a) ? b : a));
  const active = current.invitee.status === "active" && current.session.status === "active";
  const sequence = bookings.length - 1 + (current.session.version - 1) + (active ? 0 : 1);
  return { chainId, bookings, current, active, sequence };
}

const later = (a: ChainBooking, b: ChainBooking) =>
  a.session.bookedAt.getTime() !== b.session.bookedAt.getTime()
    ? a.session.bookedAt > b.session.bookedAt
    : a.invitee.createdAt > b.invitee.createdAt;

async function loneBooking(scope: CoachScope, inviteeId: string) {
  return scope.db
    .select({ invitee: invitees, session: sessions })
    .from(invitees)
    .innerJoin(sessions, eq(sessions.id, invitees.sessionId))
    .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.id, inviteeId)))
    .all();
}
