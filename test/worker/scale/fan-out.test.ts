/**
 * The cron fan-outs at scale: more due coaches than the old 500-a-tick cap, all claimed in one tick
 * for O(N / 100) D1 statements and queue calls, and a tick right after claims none again.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CRONS, runCron } from "../../../worker/cron";
import { fanOutDueSyncs } from "../../../worker/cron/due-syncs";
import { fanOutKeyRotation } from "../../../worker/cron/key-rotation";
import { fanOutStuckBookings } from "../../../worker/cron/stuck-bookings";
import { fanOutSubscriptionChecks } from "../../../worker/cron/subscription-health";
import { fanOutTokenRefreshes } from "../../../worker/cron/token-refresh";
import { countingD1 } from "../helpers/counting-d1";
import { recordingQueue } from "../helpers/counting-queue";
import { seedConnectedCoaches } from "../helpers/seed-coaches";

function countedEnv() {
  const db = countingD1(env.DB);
  const jobs = recordingQueue();
  return { db, jobs, env: { ...env, DB: db.binding, JOBS: jobs.binding } as Env };
}

const pages = (n: number) => Math.ceil(n / 100);

describe("the sync fan-out over more coaches than the old cap", () => {
  it("claims all 1,200 due coaches in one tick, two statements a page, and none on the next", async () => {
    const ids = await seedConnectedCoaches(1_200, { prefix: "due" });
    const { db, jobs, env: counted } = countedEnv();
    const now = new Date();

    expect(await fanOutDueSyncs(counted, now)).toBe(1_200);
    const claimed = jobs.bodies as { type: string; coachId: string }[];
    expect(new Set(claimed.map((j) => j.coachId))).toEqual(new Set(ids));
    expect(claimed.every((j) => j.type === "calendly.sync_due")).toBe(true);
    // One read and one claim per page of 100, plus the last (empty) read.
    expect(db.cost.statements).toBeLessThanOrEqual(2 * pages(1_200) + 2);
    expect(jobs.calls).toEqual({ send: 0, sendBatch: pages(1_200) });

    db.reset();
    jobs.reset();
    expect(await fanOutDueSyncs(counted, now)).toBe(0);
    expect(db.cost.statements).toBe(1);
    expect(jobs.calls.sendBatch).toBe(0);
  });

  it("books next slots spread over the hour, each coach on its own stable offset", async () => {
    await seedConnectedCoaches(1_200, { prefix: "spread" });
    const { env: counted } = countedEnv();
    const now = new Date(Date.UTC(2026, 0, 5, 9, 0, 0));
    await fanOutDueSyncs(counted, now);
    const { results } = await env.DB.prepare(
      "select id, next_sync_at as t from coaches where id like 'coa_spread_%'",
    ).all<{ id: string; t: number }>();
    const hour = 3_600_000;
    expect(results.every((r) => r.t > now.getTime() && r.t <= now.getTime() + hour)).toBe(true);
    // Twelve 5-minute ticks an hour, each claiming about a twelfth (100) of the coaches.
    const perTick = new Array(12).fill(0);
    for (const r of results) perTick[Math.floor((r.t - now.getTime() - 1) / 300_000)]++;
    expect(Math.min(...perTick)).toBeGreaterThan(50);
    expect(Math.max(...perTick)).toBeLessThan(150);

    // An hour later each coach's tick claims it again for exactly one hour on.
    const first = results[0];
    if (!first) throw new Error("no coaches seeded");
    await fanOutDueSyncs(counted, new Date(first.t + 60_000));
    const again = await env.DB.prepare("select next_sync_at as t from coaches where id = ?")
      .bind(first.id)
      .first<{ t: number }>();
    expect(again?.t).toBe(first.t + hour);
  });
});

describe("the other fan-outs page by keyset, one statement and one sendBatch a page", () => {
  it("token refresh, subscription health and key rotation reach every one of 1,200 coaches", async () => {
    const ids = await seedConnectedCoaches(1_200, {
      prefix: "tok",
      expiresInMs: 10 * 60_000,
      keyVersion: "v1",
    });
    const { db, jobs, env: counted } = countedEnv();
    for (const [fanOutTask, type] of [
      [(e: Env) => fanOutTokenRefreshes(e, new Date()), "calendly.refresh_token"],
      [(e: Env) => fanOutSubscriptionChecks(e), "calendly.ensure_subscription"],
      [(e: Env) => fanOutKeyRotation(e), "tokens.rekey"],
    ] as const) {
      db.reset();
      jobs.reset();
      const sent = await fanOutTask(counted);
      const mine = (jobs.bodies as { type: string; coachId: string }[]).filter((j) =>
        j.coachId.startsWith("coa_tok_"),
      );
      expect(mine.map((j) => j.coachId).sort(), type).toEqual(ids);
      expect(mine.every((j) => j.type === type)).toBe(true);
      expect(db.cost.statements, type).toBeLessThanOrEqual(pages(sent) + 1);
      expect(jobs.calls.sendBatch, type).toBeLessThanOrEqual(pages(sent));
    }
  });

  it("stuck bookings: 250 pending intents in three pages", async () => {
    const [coachId] = await seedConnectedCoaches(1, { prefix: "stuck" });
    const old = Date.now() - 10 * 60_000;
    const rows = Array.from(
      { length: 250 },
      (_, i) =>
        `('bki_stuck_${String(i).padStart(4, "0")}', '${coachId}', 'evt_x', 'slot_${i}', ${old + i}, ${old + i + 1}, 'c${i}@client.test', 'C', 'UTC', '[]', '{}', 'pending', ${old})`,
    );
    await env.DB.exec(
      `insert into booking_intents (id, coach_id, event_type_id, slot_key, start_time, end_time, email, name, time_zone, answers, tracking, status, updated_at) values ${rows.join(", ")}`,
    );
    const { db, jobs, env: counted } = countedEnv();
    expect(await fanOutStuckBookings(counted, new Date())).toBe(250);
    expect(db.cost.statements).toBe(3);
    expect(jobs.calls.sendBatch).toBe(3);
  });
});

describe("a whole 5-minute tick", () => {
  it("over 10,000 due coaches stays far inside 1,000 D1 statements, and the next claims nothing", async () => {
    await seedConnectedCoaches(10_000, { prefix: "tick", expiresInMs: 10 * 60_000 });
    const { db, jobs, env: counted } = countedEnv();
    const now = new Date();
    await runCron(CRONS.everyFiveMinutes, counted, now, {
      [CRONS.everyFiveMinutes]: [fanOutDueSyncs],
    });
    const due = (jobs.bodies as { type: string }[]).filter((j) => j.type === "calendly.sync_due");
    expect(due.length).toBeGreaterThanOrEqual(10_000);
    expect(db.cost.statements).toBeLessThanOrEqual(2 * pages(due.length) + 2);

    // Every 5-minute task together, as scheduled() runs them in one invocation.
    db.reset();
    jobs.reset();
    const { default: worker } = await import("../../../worker/index");
    const { createExecutionContext, createScheduledController } = await import("cloudflare:test");
    await worker.scheduled(
      createScheduledController({ cron: CRONS.everyFiveMinutes, scheduledTime: now.getTime() }),
      counted,
      createExecutionContext(),
    );
    expect(jobs.bodies.some((j) => (j as { type: string }).type === "calendly.sync_due")).toBe(
      false,
    );
    // Token refresh and subscription health still page through all 10,000 connections.
    expect(db.cost.statements).toBeLessThan(300);
    expect(jobs.calls.send).toBe(0);
  });
});
