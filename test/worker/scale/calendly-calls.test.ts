/**
 * Calendly calls a typical coach costs, counted at the fake Calendly (counting-upstream.ts): one
 * scheduled sync of the default window, one background token refresh, one subscription health
 * check. The figures are pinned (a change that adds calls per event fails), and the day's budget
 * built from them is printed as one `CALENDLY_BUDGET {json}` line, which `npm run bench:calendly`
 * (scripts/bench-calendly.mjs) stores in bench/results.json. Nothing here is timed.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SYNC_WINDOW, windowAround } from "../../../worker/bookings/reconcile";
import { NO_WEBHOOKS_INTERVAL_MINUTES } from "../../../worker/calendly/ensure-subscription";
import { BACKGROUND_REFRESH_WINDOW_MS } from "../../../worker/cron/token-refresh";
import { createDb } from "../../../worker/db/client";
import { accessTokenFor } from "../../../worker/durable-objects/coach-guard";
import { countUpstreamCalls } from "../helpers/counting-upstream";
import {
  dana,
  type FakeEvent,
  fakeCalendly,
  fakeScheduledEvents,
  fakeSubscriptions,
} from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { syncWindow } from "../helpers/sync-run";
import { server } from "../setup";

const DAY = 86_400_000;
const SESSIONS_PER_MONTH = 40; // a typical coach (issue 21)
const ACCESS_TOKEN_SECONDS = 7200; // Calendly's access tokens live two hours
const PLAN_LIMIT_PER_MINUTE = 500; // paid plans (worker/sandbox/calendly/plans.ts)
const GOALS = { perDayHealthy: 50, peakMinuteShareOfLimit: 0.1 };

let upstream: ReturnType<typeof countUpstreamCalls> | null = null;
afterEach(() => upstream?.stop());

/** The coach's sessions in the sync window (7 days back, 90 ahead), one invitee each. */
function typicalEvents(now: number): FakeEvent[] {
  const { backDays, aheadDays } = SYNC_WINDOW;
  const n = Math.round((SESSIONS_PER_MONTH * (backDays + aheadDays)) / 30);
  const span = (backDays + aheadDays) * DAY;
  return Array.from({ length: n }, (_, i) => ({
    uuid: `typ-ev-${i}`,
    start: new Date(now - backDays * DAY + Math.floor(((i + 0.5) * span) / n)).toISOString(),
    status: "active" as const,
    invitees: [
      {
        uuid: `typ-inv-${i}`,
        email: `t${i % 25}@client.test`,
        status: "active" as const,
        updatedAt: "2026-11-01T00:00:00Z",
      },
    ],
  }));
}

async function typicalCoach() {
  server.use(
    ...fakeCalendly([dana]),
    ...fakeSubscriptions().handlers,
    ...fakeScheduledEvents(dana, []),
  );
  await signInWithCode(`code-${dana.token}`);
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
  return scope;
}

describe("Calendly calls per coach per day", () => {
  it("counts a scheduled sync, a token refresh and a subscription check, and prints the day's budget", async () => {
    const scope = await typicalCoach();
    const now = Date.now();
    const events = typicalEvents(now);
    server.use(...fakeScheduledEvents(dana, events));

    upstream = countUpstreamCalls(server);
    await syncWindow(scope, windowAround(new Date(now), SYNC_WINDOW));
    const perSync = upstream.count("calendly");
    upstream.stop();
    // Today: one events page per 50 events, then one invitees call per event.
    expect(perSync).toBe(Math.ceil(events.length / 50) + events.length);

    // A background refresh: the token expires inside the cron's window, so the guard refreshes.
    await env.DB.prepare(
      "update provider_connections set access_expires_at = ? where coach_id = ? and provider = 'calendly'",
    )
      .bind(Date.now() + 10 * 60_000, scope.coachId)
      .run();
    upstream = countUpstreamCalls(server);
    await accessTokenFor(env, scope.coachId, "calendly", BACKGROUND_REFRESH_WINDOW_MS);
    const perRefresh = upstream.count("calendly");
    upstream.stop();
    expect(perRefresh).toBe(1);

    // The hourly subscription check for a healthy subscription.
    const { ensureCalendlySubscription } = await import(
      "../../../worker/calendly/ensure-subscription"
    );
    upstream = countUpstreamCalls(server);
    await ensureCalendlySubscription(env, scope);
    const perSubscriptionCheck = upstream.count("calendly");
    upstream.stop();
    expect(perSubscriptionCheck).toBeLessThanOrEqual(2);

    const refreshesPerDay = Math.ceil(
      (24 * 3600) / (ACCESS_TOKEN_SECONDS - BACKGROUND_REFRESH_WINDOW_MS / 1000),
    );
    const availabilityMissesPerDay = 24; // a page visited hourly: one miss per rules-cache hour
    const day = (syncsPerDay: number) => {
      const parts = {
        syncs: syncsPerDay * perSync,
        tokenRefreshes: refreshesPerDay * perRefresh,
        subscriptionChecks: 24 * perSubscriptionCheck,
        availabilityMisses: availabilityMissesPerDay,
      };
      return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
    };
    // A sync's calls run back to back (one queue message a page, right after the other): they
    // land within a minute, so its size is the coach's busiest minute.
    const peakMinute = perSync + perRefresh;
    const budget = {
      typicalCoach: {
        sessionsPerMonth: SESSIONS_PER_MONTH,
        eventsInSyncWindow: events.length,
        syncWindowDays: SYNC_WINDOW.backDays + SYNC_WINDOW.aheadDays,
      },
      measuredCallsPerOperation: { perSync, perRefresh, perSubscriptionCheck },
      assumptions: {
        syncIntervalMinutesHealthy: 60,
        syncIntervalMinutesWebhooksLost: NO_WEBHOOKS_INTERVAL_MINUTES,
        accessTokenSeconds: ACCESS_TOKEN_SECONDS,
        refreshesPerDay,
        availabilityMissesPerDay,
      },
      perDay: {
        webhooksHealthy: day(24),
        webhooksLost: day((24 * 60) / NO_WEBHOOKS_INTERVAL_MINUTES),
      },
      peakMinute: {
        calls: peakMinute,
        planLimitPerMinute: PLAN_LIMIT_PER_MINUTE,
        shareOfLimit: Math.round((peakMinute / PLAN_LIMIT_PER_MINUTE) * 1000) / 1000,
      },
      goals: GOALS,
    };
    console.log(`CALENDLY_BUDGET ${JSON.stringify(budget)}`);
  });
});
