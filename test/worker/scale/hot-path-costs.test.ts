/**
 * What the hot paths cost, pinned: D1 statements and upstream (Calendly) calls per operation, with
 * a small margin over today's figures. A change that adds a query per row (or a Calendly call per
 * request where the cache should answer) fails here, long before it fails in production.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { syncNextPage } from "../../../worker/bookings/reconcile";
import type { WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";
import { createDb } from "../../../worker/db/client";
import { startSyncRun } from "../../../worker/db/sync-runs";
import worker from "../../../worker/index";
import { countingD1 } from "../helpers/counting-d1";
import { recordingQueue } from "../helpers/counting-queue";
import { countUpstreamCalls } from "../helpers/counting-upstream";
import { dana, type FakeEvent, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { ORIGIN, signInWithCode } from "../helpers/sign-in";
import { inviteeEnvelope, seedSubscription, signatureHeader } from "../helpers/webhooks";
import { server } from "../setup";

const DAY = 86_400_000;
const API = "https://api.calendly.test";

function counted() {
  const db = countingD1(env.DB);
  const jobs = recordingQueue();
  const events = recordingQueue();
  const bindings = { ...env, DB: db.binding, JOBS: jobs.binding, WEBHOOK_EVENTS: events.binding };
  return { db, jobs, events, env: bindings as Env };
}

let upstream: ReturnType<typeof countUpstreamCalls> | null = null;
afterEach(() => upstream?.stop());

/** Logs the measured figure (handy when a bound has to move on purpose) and returns it. */
const measured = (what: string, cost: { statements: number }, calls = 0) => {
  console.log(JSON.stringify({ cost: what, d1Statements: cost.statements, upstreamCalls: calls }));
  return cost.statements;
};

function newInvitee(i: number): WebhookEnvelope {
  const start = new Date(Date.now() + (i + 1) * DAY).toISOString();
  const ev = `${API}/scheduled_events/cost-ev-${i}`;
  return {
    event: "invitee.created",
    created_at: new Date().toISOString(),
    created_by: `${API}/users/u`,
    payload: {
      uri: `${ev}/invitees/cost-inv-${i}`,
      email: `c${i}@client.test`,
      name: "Client",
      status: "active",
      timezone: "UTC",
      updated_at: new Date().toISOString(),
      rescheduled: false,
      old_invitee: null,
      new_invitee: null,
      no_show: null,
      scheduled_event: {
        uri: ev,
        name: "Coaching Session",
        status: "active",
        start_time: start,
        end_time: new Date(Date.parse(start) + 3_600_000).toISOString(),
        event_type: `${API}/event_types/et1`,
        location: { type: "zoom", join_url: null, status: "processing" },
      },
    },
  } as WebhookEnvelope;
}

async function coachWithSessions(sessions: number) {
  server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, []));
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  const scope = { db: createDb(env.DB), coachId: coach?.id ?? "" };
  // The sign-in's import runs on the real queue: let it finish before anything is counted.
  await vi.waitFor(
    async () => {
      const running = await env.DB.prepare(
        "select count(*) as n from sync_runs where coach_id = ? and status = 'running'",
      )
        .bind(scope.coachId)
        .first<{ n: number }>();
      if (running?.n) throw new Error("import still running");
    },
    { timeout: 10_000 },
  );
  for (let i = 0; i < sessions; i++) await applyCalendlyEvent(scope, newInvitee(i));
  return { jar, scope };
}

describe("D1 statements per hot path", () => {
  it("applying one invitee change, new and repeated", async () => {
    const { scope } = await coachWithSessions(0);
    const { db } = counted();
    const countedScope = { ...scope, db: createDb(db.binding) };
    await applyCalendlyEvent(countedScope, newInvitee(100));
    expect(measured("apply new invitee", db.cost)).toBeLessThanOrEqual(8);
    db.reset();
    await applyCalendlyEvent(countedScope, newInvitee(100));
    expect(measured("apply repeated invitee", db.cost)).toBeLessThanOrEqual(9);
  });

  it("one reconcile page of 20 events: today's ~7 statements and one Calendly call per row, no more", async () => {
    const { scope } = await coachWithSessions(0);
    const events: FakeEvent[] = Array.from({ length: 20 }, (_, i) => ({
      uuid: `rec-ev-${i}`,
      start: new Date(Date.now() + (i + 1) * DAY).toISOString(),
      status: "active" as const,
      invitees: [
        {
          uuid: `rec-inv-${i}`,
          email: `r${i}@client.test`,
          status: "active" as const,
          updatedAt: "2026-11-01T00:00:00Z",
        },
      ],
    }));
    server.use(...fakeScheduledEvents(dana, events));
    const runId = await startSyncRun(scope, "manual", {
      start: new Date(Date.now() - DAY),
      end: new Date(Date.now() + 60 * DAY),
    });
    if (!runId) throw new Error("a run was already running");
    const { db, env: countedEnv } = counted();
    upstream = countUpstreamCalls(server);
    await syncNextPage(countedEnv, { ...scope, db: createDb(db.binding) }, runId);
    const calls = upstream.count("calendly");
    // Today 145: each new invitee goes through the webhook path (about 7 statements), plus the
    // run's bookkeeping; one more statement per row (+20) fails. Calendly: the events page, then
    // one invitees page per event.
    expect(measured("reconcile page of 20", db.cost, calls)).toBeLessThanOrEqual(155);
    expect(calls).toBeLessThanOrEqual(1 + 20);
  });

  it("GET /api/sessions: one page costs the same for 5 sessions as for 25", async () => {
    const { jar } = await coachWithSessions(25);
    const page = async (limit: number) => {
      const { db, env: countedEnv } = counted();
      const res = await worker.fetch(
        new Request(`${ORIGIN}/api/sessions?limit=${limit}`, {
          headers: { cookie: jar.header() },
        }),
        countedEnv,
        createExecutionContext(),
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(limit);
      return measured(`sessions page of ${limit}`, db.cost);
    };
    const small = await page(5);
    expect(await page(25)).toBe(small);
    expect(small).toBeLessThanOrEqual(5);
  });

  it("webhook ingest: verifies, enqueues, stores nothing itself", async () => {
    const sub = await seedSubscription("cost", "cost-signing-key");
    const { db, events, env: countedEnv } = counted();
    const raw = JSON.stringify(inviteeEnvelope({ uri: `${API}/inv/cost-1` }));
    const res = await worker.fetch(
      new Request(`${ORIGIN}/webhooks/calendly/${sub.subscriptionId}`, {
        method: "POST",
        body: raw,
        headers: {
          "content-type": "application/json",
          "calendly-webhook-signature": await signatureHeader("cost-signing-key", raw),
        },
      }),
      countedEnv,
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
    expect(events.bodies).toHaveLength(1);
    expect(measured("webhook ingest", db.cost)).toBeLessThanOrEqual(2);
  });
});
