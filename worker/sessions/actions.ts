/**
 * What a coach can do to a session from Kairos: cancel it with a reason, or mark / unmark an invitee
 * as a no-show. Each writes to Calendly first (through the coach's CoachGuard), then re-reads the
 * event so Kairos shows the result at once, and leaves an audit entry.
 */
import { and, eq } from "drizzle-orm";
import { refreshEvent } from "../bookings/reconcile";
import { audit } from "../db/audit";
import { invitees, sessions } from "../db/schema";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";

async function ownSession({ db, coachId }: CoachScope, sessionId: string) {
  const session = await db.query.sessions.findFirst({
    where: and(eq(sessions.id, sessionId), eq(sessions.coachId, coachId)),
  });
  if (!session) throw new AppError("not_found", "No such session.");
  return session;
}

export async function cancelSession(
  env: Env,
  scope: CoachScope,
  sessionId: string,
  reason: string,
) {
  const session = await ownSession(scope, sessionId);
  if (session.status === "canceled") {
    throw new AppError("conflict", "This session is already canceled.");
  }
  if (session.startsAt.getTime() < Date.now()) {
    throw new AppError(
      "conflict",
      "This session has already started; it can no longer be canceled.",
    );
  }
  await calendlyFor(env, scope.coachId).cancelEvent(session.calendlyUri, reason);
  await refreshEvent(env, scope, session.calendlyUri);
  await audit(scope.db, {
    coachId: scope.coachId,
    actor: "coach",
    action: "session.canceled",
    subject: sessionId,
    detail: { reason },
  });
}

export async function setNoShow(
  env: Env,
  scope: CoachScope,
  sessionId: string,
  inviteeId: string,
  noShow: boolean,
) {
  const session = await ownSession(scope, sessionId);
  const invitee = await scope.db.query.invitees.findFirst({
    where: and(
      eq(invitees.id, inviteeId),
      eq(invitees.sessionId, sessionId),
      eq(invitees.coachId, scope.coachId),
    ),
  });
  if (!invitee) throw new AppError("not_found", "No such invitee in this session.");
  if (noShow && session.startsAt.getTime() > Date.now()) {
    throw new AppError("conflict", "A session that has not started yet cannot be a no-show.");
  }
  const calendly = calendlyFor(env, scope.coachId);
  if (noShow && !invitee.noShowUri) await calendly.markNoShow(invitee.calendlyUri);
  if (!noShow && invitee.noShowUri) await calendly.unmarkNoShow(invitee.noShowUri);
  await refreshEvent(env, scope, session.calendlyUri);
  await audit(scope.db, {
    coachId: scope.coachId,
    actor: "coach",
    action: noShow ? "session.no_show_marked" : "session.no_show_cleared",
    subject: sessionId,
    detail: { inviteeId },
  });
}
