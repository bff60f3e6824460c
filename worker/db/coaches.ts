/** Coach rows: created or refreshed from Calendly's `users/me` at every sign-in. */
import { eq } from "drizzle-orm";
import type { CalendlyUser } from "../calendly/schemas";
import { newId } from "../lib/ids";
import type { Database } from "./client";
import { coaches } from "./schema";

export async function upsertCoachFromCalendly(db: Database, user: CalendlyUser) {
  const fields = {
    name: user.name,
    email: user.email,
    timeZone: user.timezone,
    slug: user.slug,
    schedulingUrl: user.scheduling_url ?? null,
    organizationUri: user.current_organization ?? null,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(coaches)
    .values({ id: newId("coa"), calendlyUserUri: user.uri, ...fields })
    .onConflictDoUpdate({ target: coaches.calendlyUserUri, set: fields })
    .returning();
  if (!row) throw new Error("coach upsert returned no row");
  return row;
}

export async function getCoach(db: Database, coachId: string) {
  return db.query.coaches.findFirst({ where: eq(coaches.id, coachId) });
}
