/**
 * Open slots of an event type, from KV, stored per calendar day in the coach's time zone: any window
 * a caller asks for is assembled from the same day buckets, so varied windows share entries and only
 * days nobody has read yet cost a Calendly call (one call per run of missing days, each ≤ 31 days as
 * Calendly requires). Keys carry the coach's availability version, so invalidating everything of a
 * coach is one write (`bumpAvailabilityVersion`, done by webhook processing and by bookings). A day
 * is fresh for 5 minutes, then served stale while a background refresh re-reads the stale days.
 */
import { calendlyFor } from "../durable-objects/coach-guard";
import { type DayBucket, daysCovering } from "./day-buckets";

const FRESH_MS = 5 * 60_000;
/** KV keeps an entry this long, so a stale one can still be served while it revalidates. */
const KEEP_S = 30 * 60;
/** Calendly's `event_type_available_times` span limit (contracts/calendly.md §2.3). */
const MAX_WINDOW_MS = 31 * 24 * 3_600_000;
/** KV's bulk get reads at most this many keys at once. */
const KV_BULK_MAX = 100;

export type SlotWindow = { from: Date; to: Date };
export type Slots = { slots: string[]; fetchedAt: number };
type EventTypeRef = { id: string; calendlyUri: string };
/** Whose slots: the day buckets follow the coach's own time zone (the coach record's). */
export type CoachRef = { id: string; timeZone: string };

const versionKey = (coachId: string) => `availability-version:${coachId}`;

export async function bumpAvailabilityVersion(env: Env, coachId: string) {
  await env.AVAILABILITY_CACHE.put(versionKey(coachId), String(Date.now()));
}

const currentVersion = async (env: Env, coachId: string) =>
  (await env.AVAILABILITY_CACHE.get(versionKey(coachId))) ?? "0";

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

/** What the day cache needs, injected so a test can drive it with its own clock and upstream. */
export type DayCacheDeps = {
  kv: KVNamespace;
  waitUntil: (p: Promise<unknown>) => void;
  now: () => number;
  /** Open slots in a window (Calendly, in production). */
  fetchSlots: (w: SlotWindow) => Promise<string[]>;
};
type Scope = { coachId: string; timeZone: string; eventTypeId: string; version: string };

// The zone is part of the key: if the coach moves, the old days (other boundaries) are never read.
const dayKey = (s: Scope, date: string) =>
  `slots:${s.coachId}:${s.version}:${s.eventTypeId}:${s.timeZone}:${date}`;

async function readDays(kv: KVNamespace, keys: string[]) {
  const found = new Map<string, Slots | null>();
  for (let i = 0; i < keys.length; i += KV_BULK_MAX) {
    const page = await kv.get<Slots>(keys.slice(i, i + KV_BULK_MAX), "json");
    for (const [key, value] of page) found.set(key, value);
  }
  return found;
}

/** Consecutive days grouped, so each run is one upstream window. */
function runsOf(days: DayBucket[]): DayBucket[][] {
  const runs: DayBucket[][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (run && run.at(-1)?.end === day.start) run.push(day);
    else runs.push([day]);
  }
  return runs;
}

/** Reads the days from upstream, stores each as its own bucket and returns them by date. */
async function fillDays(deps: DayCacheDeps, scope: Scope, days: DayBucket[]) {
  const filled = new Map<string, Slots>();
  for (const run of runsOf(days)) {
    const from = run[0]?.start ?? 0;
    const to = run.at(-1)?.end ?? 0;
    const slots = await deps.fetchSlots({ from: new Date(from), to: new Date(to) });
    const fetchedAt = deps.now();
    for (const day of run) {
      const inDay = slots.filter((s) => {
        const t = Date.parse(s);
        return t >= day.start && t < day.end;
      });
      filled.set(day.date, { slots: inDay, fetchedAt });
    }
  }
  await Promise.all(
    [...filled].map(([date, bucket]) =>
      deps.kv.put(dayKey(scope, date), JSON.stringify(bucket), { expirationTtl: KEEP_S }),
    ),
  );
  return filled;
}

/**
 * The open slots in `w`, assembled from day buckets. Missing days are read now (together with any
 * stale ones next to them, so a run costs one call); stale days alone are served as they are and
 * refreshed in the background.
 */
export async function slotsFromDays(
  deps: DayCacheDeps,
  scope: Scope,
  w: SlotWindow,
): Promise<Slots & { source: "cache" | "calendly" }> {
  const days = daysCovering(w.from.getTime(), w.to.getTime(), scope.timeZone);
  const found = await readDays(
    deps.kv,
    days.map((d) => dayKey(scope, d.date)),
  );
  const hit = (d: DayBucket) => found.get(dayKey(scope, d.date)) ?? undefined;
  const now = deps.now();
  const missing = days.filter((d) => !hit(d));
  const stale = days.filter((d) => {
    const bucket = hit(d);
    return bucket !== undefined && now - bucket.fetchedAt > FRESH_MS;
  });
  let filled = new Map<string, Slots>();
  if (missing.length > 0) {
    filled = await fillDays(
      deps,
      scope,
      [...missing, ...stale].sort((a, b) => a.start - b.start),
    );
  } else if (stale.length > 0) {
    deps.waitUntil(fillDays(deps, scope, stale).catch(() => undefined));
  }
  const buckets = days.map((d) => filled.get(d.date) ?? hit(d) ?? { slots: [], fetchedAt: now });
  // Only what was asked for, and nothing that has started meanwhile.
  const from = Math.max(w.from.getTime(), now);
  const to = w.to.getTime();
  return {
    slots: buckets
      .flatMap((b) => b.slots)
      .filter((s) => {
        const t = Date.parse(s);
        return t >= from && t <= to;
      }),
    fetchedAt: buckets.length > 0 ? Math.min(...buckets.map((b) => b.fetchedAt)) : now,
    source: missing.length > 0 ? "calendly" : "cache",
  };
}

/** Open slots of an event type for a window, through the day cache, from Calendly on a miss. */
export async function cachedSlots(
  env: Env,
  waitUntil: (p: Promise<unknown>) => void,
  coach: CoachRef,
  eventType: EventTypeRef,
  w: SlotWindow,
): Promise<Slots & { source: "cache" | "calendly" }> {
  const deps: DayCacheDeps = {
    kv: env.AVAILABILITY_CACHE,
    waitUntil,
    now: Date.now,
    fetchSlots: (win) => slotsFromCalendly(env, coach.id, eventType, win),
  };
  const scope = {
    coachId: coach.id,
    timeZone: coach.timeZone,
    eventTypeId: eventType.id,
    version: await currentVersion(env, coach.id),
  };
  return slotsFromDays(deps, scope, w);
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
