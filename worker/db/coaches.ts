/**
 * Coach rows: created or refreshed from Calendly's `users/me` at every sign-in. The public slug
 * (/book/<slug>) is unique: Calendly's own slug when no other coach has it, else the first free
 * "<slug>-2", "<slug>-3", … (a stale or reused Calendly slug must not hand one coach's booking page
 * to another). A coach keeps the slug they have while Calendly's stays the same, so links do not move.
 */
import { and, eq, inArray, ne } from "drizzle-orm";
import type { CalendlyUser } from "../calendly/schemas";
import { newId, randomToken } from "../lib/ids";
import type { Database } from "./client";
import { coaches } from "./schema";

/** Suffixes tried before giving up on a readable one. */
const SUFFIXES = 20;

/** The first candidate for `wanted` that no other coach (by Calendly user) holds. */
async function freeSlug(db: Database, wanted: string, calendlyUserUri: string) {
  const candidates = [wanted];
  for (let n = 2; n <= SUFFIXES; n++) candidates.push(`${wanted}-${n}`);
  const taken = await db
    .select({ slug: coaches.slug })
    .from(coaches)
    .where(and(inArray(coaches.slug, candidates), ne(coaches.calendlyUserUri, calendlyUserUri)));
  const held = new Set(taken.map((t) => t.slug));
  return candidates.find((c) => !held.has(c)) ?? `${wanted}-${randomToken(4).toLowerCase()}`;
}

/** The public slug this sign-in should have: the current one while Calendly's is unchanged. */
async function slugFor(db: Database, user: CalendlyUser) {
  const existing = await db.query.coaches.findFirst({
    where: eq(coaches.calendlyUserUri, user.uri),
    columns: { slug: true, calendlySlug: true },
  });
  if (existing && (existing.calendlySlug ?? existing.slug) === user.slug) return existing.slug;
  return freeSlug(db, user.slug, user.uri);
}

/** D1's unique-violation on the slug, wherever drizzle put it (its own error wraps D1's as cause). */
function isSlugClash(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: coaches\.slug/.test(e.message)) return true;
  }
  return false;
}

export async function upsertCoachFromCalendly(db: Database, user: CalendlyUser) {
  // Two first sign-ins wanting the same slug at once: the loser picks again (it now sees the winner).
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsertOnce(db, user);
    } catch (err) {
      if (attempt >= 3 || !isSlugClash(err)) throw err;
    }
  }
}

async function upsertOnce(db: Database, user: CalendlyUser) {
  const fields = {
    name: user.name,
    email: user.email,
    timeZone: user.timezone,
    slug: await slugFor(db, user),
    calendlySlug: user.slug,
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

/** What the coach is told when their public slug is not Calendly's (null when it is). */
export function slugNotice(coach: { slug: string; calendlySlug: string | null }) {
  if (!coach.calendlySlug || coach.calendlySlug === coach.slug) return null;
  return `Another coach already uses "${coach.calendlySlug}", so your booking page is /book/${coach.slug}.`;
}

export async function getCoach(db: Database, coachId: string) {
  return db.query.coaches.findFirst({ where: eq(coaches.id, coachId) });
}
