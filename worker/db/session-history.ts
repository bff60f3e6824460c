/**
 * A session's history for its detail view: the domain events Kairos derived from Calendly (booked,
 * rescheduled, canceled, no-show…) and the coach's own actions from the audit log, oldest first; and
 * the clients' answers to the booking questions — as Calendly reported them, or, for a widget booking
 * whose answers Calendly has not echoed (yet), as the client gave them on Kairos's booking page.
 * A move (one `booking.rescheduled` event, ADR 0010) shows in the history of both sessions.
 */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { CoachScope } from "../env";
import { inChunks } from "./client";
import { auditLog, bookingIntents, domainEvents, invitees } from "./schema";

export async function sessionHistory({ db, coachId }: CoachScope, sessionId: string) {
  const [events, actions, people] = await Promise.all([
    db
      .select({ at: domainEvents.createdAt, type: domainEvents.type })
      .from(domainEvents)
      .where(
        and(
          eq(domainEvents.coachId, coachId),
          or(
            eq(domainEvents.sessionId, sessionId),
            sql`(${domainEvents.type} = 'booking.rescheduled' and json_extract(${domainEvents.payload}, '$.fromSessionId') = ${sessionId})`,
          ),
        ),
      )
      .orderBy(asc(domainEvents.createdAt)),
    db
      .select({ at: auditLog.createdAt, action: auditLog.action, detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.coachId, coachId), eq(auditLog.subject, sessionId)))
      .orderBy(asc(auditLog.createdAt)),
    db
      .select({ id: invitees.id, uri: invitees.calendlyUri, answers: invitees.answers })
      .from(invitees)
      .where(and(eq(invitees.coachId, coachId), eq(invitees.sessionId, sessionId))),
  ]);
  const intents = await inChunks(
    people.filter((p) => p.answers.length === 0).map((p) => p.uri),
    (uris) =>
      db
        .select({ uri: bookingIntents.inviteeUri, answers: bookingIntents.answers })
        .from(bookingIntents)
        .where(and(eq(bookingIntents.coachId, coachId), inArray(bookingIntents.inviteeUri, uris))),
  );
  const widgetAnswers = new Map(intents.map((i) => [i.uri, i.answers]));
  const entries = [
    ...events.map((e) => ({ at: e.at, what: e.type, by: "calendly" as const, note: null })),
    ...actions.map((a) => ({
      at: a.at,
      what: a.action,
      by: "coach" as const,
      note: typeof a.detail?.reason === "string" ? a.detail.reason : null,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })),
    answers: people.flatMap((p) =>
      (p.answers.length ? p.answers : (widgetAnswers.get(p.uri) ?? []))
        .toSorted((a, b) => a.position - b.position)
        .map((a) => ({ inviteeId: p.id, question: a.question, answer: a.answer })),
    ),
  };
}
