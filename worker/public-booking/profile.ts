/**
 * What a client may know about a coach: name, time zone and bookable event types with their
 * questions and booking windows. Read by slug from KV (cached a minute) and by the booking flow.
 * Secret event types are bookable by their slug but never listed.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type CustomQuestion, coaches, eventTypes } from "../db/schema";
import { allowedEmbedOrigins } from "./embed-origins";

export type PublicEventType = {
  id: string;
  calendlyUri: string;
  slug: string;
  name: string;
  durationMinutes: number;
  kind: string;
  secret: boolean;
  description: string | null;
  schedulingUrl: string;
  questions: CustomQuestion[];
  location: { kind: string; location?: string } | null;
  minNoticeMinutes: number;
  maxDaysAhead: number;
};

export type PublicCoach = {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  calendlyUserUri: string;
  schedulingUrl: string | null;
  embedOrigins: string[];
  eventTypes: PublicEventType[];
};

const CACHE_TTL_S = 60;
const cacheKey = (slug: string) => `public-coach:${slug}`;

async function loadCoach(db: Database, slug: string): Promise<PublicCoach | null> {
  const coach = await db.query.coaches.findFirst({ where: eq(coaches.slug, slug) });
  if (!coach) return null;
  const types = await db
    .select()
    .from(eventTypes)
    .where(and(eq(eventTypes.coachId, coach.id), eq(eventTypes.active, true)))
    .orderBy(asc(eventTypes.position), asc(eventTypes.name));
  return {
    id: coach.id,
    slug: coach.slug,
    name: coach.name,
    timeZone: coach.timeZone,
    calendlyUserUri: coach.calendlyUserUri,
    schedulingUrl: coach.schedulingUrl,
    embedOrigins: coach.embedOrigins,
    eventTypes: types
      .filter((t) => t.slug)
      .map((t) => ({
        id: t.id,
        calendlyUri: t.calendlyUri,
        slug: t.slug ?? "",
        name: t.name,
        durationMinutes: t.durationMinutes,
        kind: t.kind,
        secret: t.secret,
        description: t.description,
        schedulingUrl: t.schedulingUrl,
        questions: t.customQuestions
          .filter((q) => q.enabled)
          .sort((a, b) => a.position - b.position),
        location: t.locations[0] ?? null,
        minNoticeMinutes: t.minNoticeMinutes,
        maxDaysAhead: t.maxDaysAhead,
      })),
  };
}

/**
 * The longest slug looked up (the public API's params say the same): a longer one is no coach's,
 * and would overflow KV's 512-byte key limit (a 500) if it reached the cache.
 */
export const MAX_SLUG_LENGTH = 100;

export async function publicCoach(env: Env, db: Database, slug: string) {
  if (!slug || slug.length > MAX_SLUG_LENGTH) return null;
  const cached = await env.AVAILABILITY_CACHE.get<PublicCoach>(cacheKey(slug), "json");
  const coach = cached ?? (await loadCoach(db, slug));
  if (coach && !cached) {
    await env.AVAILABILITY_CACHE.put(cacheKey(slug), JSON.stringify(coach), {
      expirationTtl: CACHE_TTL_S,
    });
  }
  return coach && { ...coach, embedOrigins: allowedEmbedOrigins(env, coach.embedOrigins) };
}

/** After the coach changes what clients see (allowed origins, event types). */
export const forgetPublicCoach = (env: Env, slug: string) =>
  env.AVAILABILITY_CACHE.delete(cacheKey(slug));
