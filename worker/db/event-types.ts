/** The coach's Calendly event types, mirrored in D1 (upsert by Calendly URI, drop the vanished). */
import { and, asc, eq, notInArray } from "drizzle-orm";
import type { CalendlyEventType } from "../calendly/schemas";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import { eventTypes } from "./schema";

export async function replaceEventTypes({ db, coachId }: CoachScope, items: CalendlyEventType[]) {
  const now = new Date();
  const upserts = items.map((et) => {
    const fields = {
      name: et.name,
      slug: et.slug ?? null,
      durationMinutes: et.duration,
      kind: et.kind,
      active: et.active,
      secret: et.secret,
      color: et.color ?? null,
      schedulingUrl: et.scheduling_url,
      description: et.description_plain ?? null,
      position: et.position,
      customQuestions: (et.custom_questions ?? []).map((q) => ({
        name: q.name,
        type: q.type,
        position: q.position,
        enabled: q.enabled,
        required: q.required,
        answer_choices: q.answer_choices ?? [],
        include_other: q.include_other,
      })),
      locations: (et.locations ?? []).map((l) => ({
        kind: l.kind,
        ...(l.location ? { location: l.location } : {}),
      })),
      beforeBuffer: et.before_buffer ?? 0,
      afterBuffer: et.after_buffer ?? 0,
      updatedAt: now,
    };
    return db
      .insert(eventTypes)
      .values({ id: newId("evt"), coachId, calendlyUri: et.uri, ...fields })
      .onConflictDoUpdate({
        target: eventTypes.calendlyUri,
        set: fields,
        where: eq(eventTypes.coachId, coachId),
      });
  });
  const uris = items.map((et) => et.uri);
  const prune = db
    .delete(eventTypes)
    .where(
      uris.length
        ? and(eq(eventTypes.coachId, coachId), notInArray(eventTypes.calendlyUri, uris))
        : eq(eventTypes.coachId, coachId),
    );
  // One atomic batch: a coach never sees half an update.
  await db.batch([prune, ...upserts]);
}

export function listEventTypes({ db, coachId }: CoachScope) {
  return db
    .select()
    .from(eventTypes)
    .where(eq(eventTypes.coachId, coachId))
    .orderBy(asc(eventTypes.position), asc(eventTypes.name));
}
