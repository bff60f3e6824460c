/**
 * Every hot query runs on an index. The hot paths run through a counting D1 that records their SQL;
 * each statement is then explained (`EXPLAIN QUERY PLAN`) and none may walk a whole table that
 * grows with bookings: sessions, invitees, webhook deliveries or sync runs.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { startSync } from "../../../worker/bookings/start-sync";
import type { WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";
import { fanOutDueSyncs } from "../../../worker/cron/due-syncs";
import { sweepStrandedWebhookEvents } from "../../../worker/cron/webhook-sweep";
import { createDb } from "../../../worker/db/client";
import { storeWebhookEvents } from "../../../worker/db/webhook-events";
import worker from "../../../worker/index";
import { countingD1 } from "../helpers/counting-d1";
import { recordingQueue } from "../helpers/counting-queue";
import { dana, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { ORIGIN, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const API = "https://api.calendly.test";
const GROWING = /\bSCAN (sessions|invitees|webhook_events|sync_runs)\b/;

/** Queries a path uses that the recorded paths above do not (CoachGuard reads its own D1). */
const NAMED = [
  "select * from provider_connections where coach_id = ? and provider = ?",
  "select * from invitees where calendly_uri = ?",
  "select * from invitees where session_id = ?",
  "select * from sync_runs where coach_id = ? and status = 'running'",
  "select * from webhook_events where dedupe_key = ?",
];

function invitee(i: number, event = "invitee.created"): WebhookEnvelope {
  const start = new Date(Date.now() + (i + 1) * 86_400_000).toISOString();
  const ev = `${API}/scheduled_events/plan-ev-${i}`;
  return {
    event,
    created_at: new Date().toISOString(),
    created_by: `${API}/users/u`,
    payload: {
      uri: `${ev}/invitees/plan-inv-${i}`,
      email: `p${i}@client.test`,
      name: "Client",
      status: event === "invitee.canceled" ? "canceled" : "active",
      timezone: "UTC",
      updated_at: new Date().toISOString(),
      rescheduled: false,
      old_invitee: null,
      new_invitee: null,
      no_show: null,
      cancellation:
        event === "invitee.canceled"
          ? { canceled_by: "Client", reason: "x", canceler_type: "invitee" }
          : undefined,
      scheduled_event: {
        uri: ev,
        name: "Coaching Session",
        status: event === "invitee.canceled" ? "canceled" : "active",
        start_time: start,
        end_time: new Date(Date.parse(start) + 3_600_000).toISOString(),
        event_type: `${API}/event_types/et1`,
        location: { type: "zoom", join_url: null, status: "processing" },
      },
    },
  } as WebhookEnvelope;
}

async function recordHotPaths() {
  server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, []));
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  const coachId = coach?.id ?? "";
  const db = countingD1(env.DB);
  const bindings = { ...env, DB: db.binding, JOBS: recordingQueue().binding } as Env;
  const scope = { db: createDb(db.binding), coachId };

  for (let i = 0; i < 3; i++) await applyCalendlyEvent(scope, invitee(i));
  await applyCalendlyEvent(scope, invitee(1, "invitee.canceled"));
  await applyCalendlyEvent(scope, invitee(1, "invitee.canceled"));
  for (const query of [
    "limit=2",
    "sort=booked&order=desc",
    `from=${encodeURIComponent(new Date().toISOString())}&status=active`,
  ]) {
    const res = await worker.fetch(
      new Request(`${ORIGIN}/api/sessions?${query}`, { headers: { cookie: jar.header() } }),
      bindings,
      createExecutionContext(),
    );
    const body = (await res.json()) as { nextCursor: string | null };
    if (body.nextCursor) {
      await worker.fetch(
        new Request(`${ORIGIN}/api/sessions?${query}&cursor=${body.nextCursor}`, {
          headers: { cookie: jar.header() },
        }),
        bindings,
        createExecutionContext(),
      );
    }
  }
  await storeWebhookEvents(scope.db, [
    {
      provider: "calendly",
      coachId,
      dedupeKey: "plan|1",
      event: "invitee.created",
      payload: "{}",
      status: "received",
      receivedAt: new Date(),
    },
  ]);
  await sweepStrandedWebhookEvents(bindings, new Date());
  await startSync(bindings, scope, "manual");
  await fanOutDueSyncs(bindings, new Date(Date.now() + 86_400_000));
  return [...new Set(db.cost.sql)];
}

/** The plan does not depend on the values (no STAT4), so every parameter is bound to null. */
async function plan(sql: string) {
  const params = (sql.replace(/'(?:[^']|'')*'/g, "").match(/\?/g) ?? []).map(() => null);
  const { results } = await env.DB.prepare(`explain query plan ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

describe("query plans of the hot paths", () => {
  it("never scan sessions, invitees, webhook_events or sync_runs", async () => {
    const recorded = await recordHotPaths();
    const tables = ["sessions", "invitees", "webhook_events", "sync_runs", "coaches"];
    for (const table of tables) {
      expect(recorded.some((s) => s.includes(`"${table}"`) || s.includes(` ${table} `))).toBe(true);
    }
    const scans: string[] = [];
    for (const sql of [...recorded, ...NAMED]) {
      const steps = await plan(sql);
      if (steps.some((s) => GROWING.test(s))) scans.push(`${sql}\n  ${steps.join("\n  ")}`);
    }
    expect(scans).toEqual([]);
  });

  it("the due-sync read walks only the coaches due, on coaches_next_sync", async () => {
    const recorded = await recordHotPaths();
    const due = recorded.find((s) => s.includes("c.next_sync_at is null or"));
    expect(due).toBeDefined();
    expect((await plan(due ?? "")).join("\n")).toMatch(/USING INDEX coaches_next_sync/);
  });

  it("would notice a scan", async () => {
    expect((await plan("select * from sessions where name = ?")).some((s) => GROWING.test(s))).toBe(
      true,
    );
  });
});
