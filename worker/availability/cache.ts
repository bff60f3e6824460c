/**
 * Open slots of an event type, from KV. Keys carry the coach's availability version, so invalidating
 * everything of a coach is one write (`bumpAvailabilityVersion`, done by webhook processing and by
 * bookings). Entries are fresh for 5 minutes, then served stale while one refresh runs in the
 * background; a cold read asks Calendly's `event_type_available_times` in windows of ≤ 31 days.
 */
import { calendlyFor } from "../durable-objects/coach-guard";

const FRESH_MS = 5 * 60_000;
/** KV keeps an entry this long, so a stale one can still be served while it revalidates. */
const KEEP_S = 30 * 60;
const MAX_WINDOW_MS = 31 * 24 * 3_600_000;

export type SlotWindow = { from: Date; to: Date };
export type Slots = { slots: string[]; fetchedAt: number };
type EventTypeRef = { id: string; calendlyUri: string };

const versionKey = (coachId: string) => `availability-version:${coachId}`;

export async function bumpAvailabilityVersion(env: Env, coachId: string) {
  await env.AVAILABILITY_CACHE.put(versionKey(coachId), String(Date.now()));
}

const currentVersion = async (env: Env, coachId: string) =>
  (await env.AVAILABILITY_CACHE.get(versionKey(coachId))) ?? "0";

async function cacheKey(env: Env, coachId: string, eventTypeId: string, w: SlotWindow) {
  const version = await currentVersion(env, coachId);
  return `slots:${coachId}:${version}:${eventTypeId}:${w.from.toISOString()}:${w.to.toISOString()}`;
}

/** Asks Calendly directly (no cache), splitting the window as Calendly requires. */
export async function slotsFromCalendly(
  env: Env,
  coachId: string,
  eventType: EventTypeRef,
  w: SlotWindow,
): Promise<string[]> {
  const calendly = calendlyFor(env, coachId);
  // Calendly refuses a start in the past: begin a little after now.
  let start = new Date(Math.max(w.from.getTime(), Date.now() + 60_000));
  const slots: string[] = [];
  while (start < w.to) {
    const end = new Date(Math.min(w.to.getTime(), start.getTime() + MAX_WINDOW_MS));
    const page = await calendly.availableTimes(eventType.calendlyUri, { start, end });
    for (const t of page) {
      if (t.status === "available" && t.invitees_remaining > 0) {
        slots.push(new Date(t.start_time).toISOString());
      }
    }
    start = end;
  }
  return slots;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Callers ask for windows that start "now"; cache a slightly wider window snapped to the hour and
 * the day, so the same key serves every request of the next hour, and filter to what was asked.
 */
const snapped = (w: SlotWindow): SlotWindow => ({
  from: new Date(Math.floor(w.from.getTime() / HOUR_MS) * HOUR_MS),
  to: new Date(Math.ceil(w.to.getTime() / DAY_MS) * DAY_MS),
});

export async function cachedSlots(
  env: Env,
  waitUntil: (p: Promise<unknown>) => void,
  coachId: string,
  eventType: EventTypeRef,
  w: SlotWindow,
): Promise<Slots & { source: "cache" | "calendly" }> {
  const wide = snapped(w);
  const key = await cacheKey(env, coachId, eventType.id, wide);
  const refresh = async (): Promise<Slots> => {
    const fresh = {
      slots: await slotsFromCalendly(env, coachId, eventType, wide),
      fetchedAt: Date.now(),
    };
    await env.AVAILABILITY_CACHE.put(key, JSON.stringify(fresh), { expirationTtl: KEEP_S });
    return fresh;
  };
  const hit = await env.AVAILABILITY_CACHE.get<Slots>(key, "json");
  if (hit && Date.now() - hit.fetchedAt > FRESH_MS) waitUntil(refresh().catch(() => undefined));
  const { slots, fetchedAt } = hit ?? (await refresh());
  // Only what was asked for, and nothing that has started meanwhile.
  const from = new Date(Math.max(w.from.getTime(), Date.now())).toISOString();
  const to = w.to.toISOString();
  return {
    slots: slots.filter((s) => s >= from && s <= to),
    fetchedAt,
    source: hit ? "cache" : "calendly",
  };
}

type ScheduleRule = { timezone: string; rules: unknown[] };

/** An event type's rules from Calendly, cached until the coach's availability version changes. */
export async function cachedSchedule(
  env: Env,
  coachId: string,
  eventType: EventTypeRef,
): Promise<ScheduleRule | null> {
  const version = await currentVersion(env, coachId);
  const key = `schedule:${coachId}:${version}:${eventType.id}`;
  const hit = await env.AVAILABILITY_CACHE.get<ScheduleRule>(key, "json");
  if (hit) return hit;
  const rule = await calendlyFor(env, coachId).eventTypeSchedule(eventType.calendlyUri);
  if (rule) await env.AVAILABILITY_CACHE.put(key, JSON.stringify(rule), { expirationTtl: 3_600 });
  return rule;
}
