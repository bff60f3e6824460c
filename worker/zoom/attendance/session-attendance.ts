/**
 * One session's attendance, as GET /api/sessions/{id}/attendance shows it: the session, its
 * invitees and the coach's decisions from D1, the timeline of its Zoom meeting(s), the verdicts of
 * ./verdicts.ts at `now`. Computed on read, so a late webhook or a report read later simply
 * changes the answer; nothing here writes.
 */
import { and, eq } from "drizzle-orm";
import { attendanceReviews, invitees, providerConnections, sessions } from "../../db/schema";
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import { zoomMeetingIdsOfSession } from "./session-meetings";
import { getAttendanceSettings } from "./settings";
import { loadTimeline } from "./store";
import { type Attendance, type Decision, evaluateAttendance } from "./verdicts";

export async function ownSession({ db, coachId }: CoachScope, sessionId: string) {
  const session = await db.query.sessions.findFirst({
    where: and(eq(sessions.id, sessionId), eq(sessions.coachId, coachId)),
  });
  if (!session) throw new AppError("not_found", "No such session.");
  return session;
}

/** The coach's own Zoom user id (the `host_id` of their meetings), when Zoom is connected. */
async function hostZoomUserId({ db, coachId }: CoachScope): Promise<string | null> {
  const row = await db.query.providerConnections.findFirst({
    where: and(eq(providerConnections.coachId, coachId), eq(providerConnections.provider, "zoom")),
  });
  return row?.externalUserId || null;
}

export type SessionAttendance = Attendance & {
  hasZoomMeeting: boolean;
  reviews: Map<string, Review>;
};
type Review = typeof attendanceReviews.$inferSelect;

export async function evaluateSession(
  scope: CoachScope,
  sessionId: string,
  now: number,
  /** Evaluate as if the coach had decided nothing (what would Kairos propose?). */
  opts: { ignoreDecisions?: boolean } = {},
): Promise<SessionAttendance> {
  const session = await ownSession(scope, sessionId);
  const [people, reviewRows, settings, meetingIds, ownHostId] = await Promise.all([
    scope.db
      .select()
      .from(invitees)
      .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.sessionId, sessionId))),
    scope.db
      .select()
      .from(attendanceReviews)
      .where(
        and(
          eq(attendanceReviews.coachId, scope.coachId),
          eq(attendanceReviews.sessionId, sessionId),
        ),
      ),
    getAttendanceSettings(scope),
    zoomMeetingIdsOfSession(scope, sessionId),
    hostZoomUserId(scope),
  ]);
  const timeline = await loadTimeline(scope, meetingIds);
  const reviews = new Map(reviewRows.map((r) => [r.inviteeId, r]));
  const decision = (id: string): Decision | null => {
    if (opts.ignoreDecisions) return null;
    const state = reviews.get(id)?.state;
    return state === "confirmed" || state === "dismissed" ? state : null;
  };
  const attendance = evaluateAttendance({
    now,
    session: {
      startsAt: session.startsAt.getTime(),
      endsAt: session.endsAt.getTime(),
      canceled: session.status === "canceled",
    },
    // The meeting's own host_id wins: the connection may have changed (or be gone) since.
    hostZoomUserId: timeline.hostIds[0] ?? ownHostId,
    invitees: people.map((p) => ({
      id: p.id,
      email: p.email,
      name: p.name,
      canceled: p.status === "canceled",
      noShowAtCalendly: p.noShowUri !== null,
      decision: decision(p.id),
    })),
    instances: timeline.instances,
    entries: timeline.entries,
    rules: settings,
  });
  return { ...attendance, hasZoomMeeting: meetingIds.length > 0, reviews };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API's shape: ISO times, and each invitee's review (proposed / confirmed / dismissed). */
export function presentAttendance(a: SessionAttendance) {
  return {
    final: a.final,
    zoomMeeting: a.hasZoomMeeting,
    evaluatedAt: iso(a.evaluatedAt) as string,
    host: { ...a.host, firstJoinAt: iso(a.host.firstJoinAt) },
    invitees: a.invitees.map((i) => {
      const r = a.reviews.get(i.inviteeId);
      return {
        ...i,
        firstJoinAt: iso(i.firstJoinAt),
        review: r
          ? {
              state: r.state,
              decidedBy: r.decidedBy,
              decidedAt: iso(r.decidedAt?.getTime() ?? null),
              autoConfirmAt: iso(r.autoConfirmAt?.getTime() ?? null),
            }
          : null,
      };
    }),
    guests: a.guests.map((g) => ({ ...g, firstJoinAt: iso(g.firstJoinAt) })),
  };
}
