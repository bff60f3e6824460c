/**
 * 5-minute fan-out of scheduled reconciles: every Calendly-connected coach whose next sync is due is
 * claimed (its next slot is booked in the same statement, so two ticks never both claim a coach) and
 * gets one `calendly.sync_due` job; the consumer starts or joins the coach's run. A page costs two
 * statements (read the due page, claim it) and one `sendBatch`, so one tick claims 10,000 due coaches
 * in about 200 statements (cron/fan-out.ts). Next slots keep a stable per-coach offset
 * (./sync-schedule.ts), so the hour's syncs spread over its ticks. A coach whose Calendly plan refuses
 * webhooks has only the reconcile to learn of bookings: at most every 15 min.
 */
import { sql } from "drizzle-orm";
import { NO_WEBHOOKS_INTERVAL_MINUTES } from "../calendly/ensure-subscription";
import { createDb, type Database } from "../db/client";
import { FAN_OUT_PAGE, fanOut } from "./fan-out";
import { nextScheduledSync } from "./sync-schedule";

/** 15,000 coaches a tick in 300 statements: room left for the other 5-minute tasks. */
const MAX_PAGES = 150;

type DueCoach = { id: string; interval: number; webhooks: string };

export async function fanOutDueSyncs(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  return fanOut(env, { task: "due_syncs", maxPages: MAX_PAGES }, async () => {
    const due = await readDuePage(db, now);
    const claimed = await claim(db, due, now);
    // A claimed coach is no longer due, so the next read starts on the rest; a full page claimed
    // by nobody (another tick took it) would read the same rows again, so it ends the tick.
    const more = due.length === FAN_OUT_PAGE && claimed.length > 0;
    return {
      jobs: claimed.map((coachId) => ({ type: "calendly.sync_due" as const, coachId })),
      next: more ? "due" : null,
    };
  });
}

const readDuePage = (db: Database, now: Date) =>
  db.all<DueCoach>(sql`
    select c.id as id, c.sync_interval_minutes as interval, p.webhook_availability as webhooks
      from coaches c
      -- CROSS JOIN keeps coaches the outer loop (SQLite's documented way to fix the join order), so
      -- the read walks coaches_next_sync; otherwise an index on provider_connections by provider
      -- can make it walk every Calendly connection (test/worker/scale/query-plans.test.ts).
      cross join provider_connections p
        on p.coach_id = c.id and p.provider = 'calendly' and p.status = 'connected'
      where c.next_sync_at is null or c.next_sync_at <= ${now.getTime()}
      limit ${FAN_OUT_PAGE}`);

/**
 * Books each coach's next slot in one UPDATE (the slots travel as one JSON parameter, so the page is
 * not limited by D1's 100 bound parameters), only where the coach is still due: the ids returned are
 * the coaches this tick won.
 */
async function claim(db: Database, due: DueCoach[], now: Date): Promise<string[]> {
  if (due.length === 0) return [];
  const slots = Object.fromEntries(
    due.map((c) => [c.id, nextScheduledSync(c.id, minutesFor(c), now).getTime()]),
  );
  const won = await db.all<{ id: string }>(sql`
    update coaches set next_sync_at = slot.value
      from json_each(${JSON.stringify(slots)}) as slot
      where coaches.id = slot.key
        and (coaches.next_sync_at is null or coaches.next_sync_at <= ${now.getTime()})
      returning coaches.id as id`);
  return won.map((r) => r.id);
}

const minutesFor = (coach: DueCoach) =>
  coach.webhooks === "unavailable_on_plan"
    ? Math.min(coach.interval, NO_WEBHOOKS_INTERVAL_MINUTES)
    : coach.interval;
