/**
 * A reschedule is a move (docs/decisions/0010-reschedule-is-a-move.md). Calendly reports it as two
 * invitees: the old one canceled (`rescheduled`, `new_invitee`) and a new one on a new event
 * (`old_invitee`). Whichever half Kairos holds second completes the pair: the new booking joins the
 * old one's chain and the move is recorded once, naming both sessions and both start times.
 */

import { releaseIntentOf } from "../db/booking-intents";
import {
  findInvitee,
  findWithMoveNeighbours,
  getSession,
  type InviteeRow,
  joinChain,
} from "../db/bookings";
import { recordDomainEvent } from "../db/domain-events";
import type { CoachScope } from "../env";

/** The moves `inviteeUri` completes (none, one, or two when it is the middle of a chain). */
export async function completeMoves(scope: CoachScope, inviteeUri: string) {
  const moves: { sessionId: string }[] = [];
  const found = await findWithMoveNeighbours(scope, inviteeUri);
  if (!found) return moves;
  const { me, before, after } = found;
  if (before && (await recordMove(scope, before, me))) moves.push({ sessionId: me.sessionId });
  if (after && (await recordMove(scope, me, after))) moves.push({ sessionId: after.sessionId });
  return moves;
}

/** True when this is the first time the move was recorded. */
async function recordMove(scope: CoachScope, fromRow: InviteeRow, toRow: InviteeRow) {
  // Re-read both: an earlier link in this same delivery may have changed their chain.
  const [from, to] = await Promise.all([
    findInvitee(scope, fromRow.calendlyUri),
    findInvitee(scope, toRow.calendlyUri),
  ]);
  if (!from || !to) return false;
  const chainId = from.chainId ?? from.id;
  const replacedChainId = await joinChain(scope, to, chainId);
  // The old booking is over even if its own "canceled" half never arrives.
  await releaseIntentOf(scope.db, scope.coachId, from.calendlyUri, {
    reason: "rescheduled",
    toInviteeUri: to.calendlyUri,
  });
  const [fromSession, toSession] = await Promise.all([
    getSession(scope, from.sessionId),
    getSession(scope, to.sessionId),
  ]);
  return recordDomainEvent(scope, {
    type: "booking.rescheduled",
    dedupeKey: `booking.rescheduled|${from.calendlyUri}`,
    sessionId: to.sessionId,
    payload: {
      chainId,
      fromInviteeUri: from.calendlyUri,
      toInviteeUri: to.calendlyUri,
      fromSessionId: from.sessionId,
      toSessionId: to.sessionId,
      fromStartTime: fromSession?.startsAt.toISOString() ?? null,
      toStartTime: toSession?.startsAt.toISOString() ?? null,
      ...(replacedChainId ? { replacedChainId } : {}),
    },
  });
}
