/**
 * What happens to a proposed no-show: the coach confirms it (Kairos marks the invitee no-show at
 * Calendly — POST /invitee_no_shows through CoachGuard — and the Calendly webhook that follows names
 * the same no-show URI, so it adds nothing) or dismisses it; or auto-confirm does, when the coach
 * turned it on. Only a proposal can be confirmed: a client Kairos saw arrive (joined or waited),
 * a canceled session or one without evidence is refused with a 409.
 */
import { and, eq } from "drizzle-orm";
import { audit } from "../../db/audit";
import { attendanceReviews, auditLog } from "../../db/schema";
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import { setNoShow } from "../../sessions/actions";
import { evaluateSession, ownSession } from "./session-attendance";
import { getAttendanceSettings } from "./settings";

const HOUR = 3_600_000;

async function proposal(scope: CoachScope, sessionId: string, inviteeId: string, now: number) {
  await ownSession(scope, sessionId);
  const a = await evaluateSession(scope, sessionId, now, { ignoreDecisions: true });
  const verdict = a.invitees.find((i) => i.inviteeId === inviteeId);
  if (!verdict) throw new AppError("not_found", "No such invitee in this session.");
  return { a, verdict };
}

function refusal(verdict: string, waited: boolean): never {
  if (verdict === "attended" || verdict === "late")
    throw new AppError(
      "conflict",
      waited
        ? "This client waited for you (waiting room or before you joined): not a no-show."
        : "Zoom saw this client in the meeting: not a no-show.",
    );
  throw new AppError("conflict", "Kairos has not proposed a no-show for this client.");
}

async function saveReview(
  { db, coachId }: CoachScope,
  sessionId: string,
  inviteeId: string,
  fields: Partial<typeof attendanceReviews.$inferInsert> & {
    state: "proposed" | "confirmed" | "dismissed";
  },
) {
  const set = { ...fields, updatedAt: new Date() };
  await db
    .insert(attendanceReviews)
    .values({ inviteeId, coachId, sessionId, ...set })
    .onConflictDoUpdate({
      target: attendanceReviews.inviteeId,
      set,
      setWhere: eq(attendanceReviews.coachId, coachId),
    });
}

export async function confirmNoShow(
  env: Env,
  scope: CoachScope,
  sessionId: string,
  inviteeId: string,
  by: "coach" | "auto",
  now = Date.now(),
) {
  const { verdict } = await proposal(scope, sessionId, inviteeId, now);
  if (verdict.verdict === "no_show") return; // marked at Calendly already
  if (verdict.verdict !== "no_show_proposed") refusal(verdict.verdict, verdict.waited);
  // Calendly first: if it refuses, nothing here says "confirmed".
  await setNoShow(env, scope, sessionId, inviteeId, true);
  await saveReview(scope, sessionId, inviteeId, {
    state: "confirmed",
    decidedBy: by,
    decidedAt: new Date(now),
    autoConfirmAt: null,
  });
  await audit(scope.db, {
    coachId: scope.coachId,
    actor: by === "coach" ? "coach" : "system",
    action: "attendance.no_show_confirmed",
    subject: sessionId,
    detail: { inviteeId, by },
  });
}

export async function dismissNoShow(
  scope: CoachScope,
  sessionId: string,
  inviteeId: string,
  now = Date.now(),
) {
  const { verdict } = await proposal(scope, sessionId, inviteeId, now);
  if (verdict.verdict === "no_show")
    throw new AppError(
      "conflict",
      "This client is marked no-show at Calendly: clear the mark on the session instead.",
    );
  if (verdict.verdict !== "no_show_proposed") refusal(verdict.verdict, verdict.waited);
  await saveReview(scope, sessionId, inviteeId, {
    state: "dismissed",
    decidedBy: "coach",
    decidedAt: new Date(now),
    autoConfirmAt: null,
  });
  await audit(scope.db, {
    coachId: scope.coachId,
    actor: "coach",
    action: "attendance.no_show_dismissed",
    subject: sessionId,
    detail: { inviteeId },
  });
}

/**
 * After an evaluation that is final: each new proposal gets a review row (with its auto-confirm
 * time when the coach turned auto-confirm on); a host no-show is audited once. Idempotent.
 */
export async function recordProposals(scope: CoachScope, sessionId: string, now = Date.now()) {
  const a = await evaluateSession(scope, sessionId, now);
  if (!a.final) return { proposed: 0 };
  const { autoConfirmHours } = await getAttendanceSettings(scope);
  const fresh = a.invitees.filter(
    (i) => i.verdict === "no_show_proposed" && !a.reviews.has(i.inviteeId),
  );
  for (const i of fresh) {
    await scope.db
      .insert(attendanceReviews)
      .values({
        inviteeId: i.inviteeId,
        coachId: scope.coachId,
        sessionId,
        state: "proposed",
        autoConfirmAt: autoConfirmHours === null ? null : new Date(now + autoConfirmHours * HOUR),
      })
      .onConflictDoNothing();
  }
  if (a.host.noShow && !(await hostNoShowRecorded(scope, sessionId))) {
    await audit(scope.db, {
      coachId: scope.coachId,
      actor: "zoom",
      action: "attendance.host_no_show",
      subject: sessionId,
      detail: {},
    });
  }
  return { proposed: fresh.length };
}

async function hostNoShowRecorded({ db, coachId }: CoachScope, sessionId: string) {
  const row = await db.query.auditLog.findFirst({
    where: and(
      eq(auditLog.coachId, coachId),
      eq(auditLog.action, "attendance.host_no_show"),
      eq(auditLog.subject, sessionId),
    ),
  });
  return Boolean(row);
}
