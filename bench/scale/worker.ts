/**
 * The worker `npm run bench:scale` drives (scripts/bench-scale.mjs): Kairos's own cron fan-outs and
 * app, run against the local D1 of `wrangler dev` with a counting D1 and a recording queue
 * (test/worker/helpers/counting-*.ts), behind a few bench-only endpoints. Never deployed: it runs
 * only under `wrangler dev bench/scale/worker.ts` with the project's wrangler.toml bindings.
 *
 * Under /dev/scale (a path the assets never answer: run_worker_first in wrangler.toml):
 * POST /seed?from=&count=&sessions=   coaches (connected, tokens valid for a week), each with
 *                                     `sessions` sessions of one invitee over the month around now
 * POST /seed-webhooks?from=&count=&perCoach=&bytes=   stored webhook deliveries (raw payloads kept)
 * GET  /size                          the database's size in bytes (D1's meta.size_after)
 * POST /tick?at=<ms>&tasks=five|hourly|daily   one cron tick's tasks, each counted
 * POST /sign-in?coach=                a login session for the coach; answers its cookie
 * ANY  /app/<path>                    the app at <path>; its D1 statements in X-Bench-D1-Statements
 */

import { countingD1 } from "../../test/worker/helpers/counting-d1";
import { recordingQueue } from "../../test/worker/helpers/counting-queue";
import { app } from "../../worker/app";
import { CRONS } from "../../worker/cron";
import { fanOutDueSyncs } from "../../worker/cron/due-syncs";
import { fanOutKeyRotation } from "../../worker/cron/key-rotation";
import { fanOutStuckBookings } from "../../worker/cron/stuck-bookings";
import { fanOutSubscriptionChecks } from "../../worker/cron/subscription-health";
import { fanOutTokenRefreshes } from "../../worker/cron/token-refresh";
import { sweepStrandedWebhookEvents } from "../../worker/cron/webhook-sweep";
import { hmacSha256Hex } from "../../worker/lib/crypto";
import { sweepUndispatchedDomainEvents } from "../../worker/reactions/dispatch";

export { CoachFeed } from "../../worker/durable-objects/coach-feed";
export { CoachGuard } from "../../worker/durable-objects/coach-guard-object";

type Task = (env: Env, now: Date) => Promise<unknown>;
// The same tasks as worker/entry.ts's cronTasks, by cron.
const TASKS: Record<string, [string, Task][]> = {
  five: [
    ["tokenRefresh", fanOutTokenRefreshes],
    ["dueSyncs", fanOutDueSyncs],
    ["stuckBookings", fanOutStuckBookings],
    ["webhookSweep", sweepStrandedWebhookEvents],
    ["domainEventSweep", sweepUndispatchedDomainEvents],
  ],
  hourly: [["subscriptionHealth", (env) => fanOutSubscriptionChecks(env)]],
  daily: [["keyRotation", (env) => fanOutKeyRotation(env)]],
};
const CRON_OF: Record<string, string> = {
  five: CRONS.everyFiveMinutes,
  hourly: CRONS.hourly,
  daily: CRONS.daily,
};

const DAY = 86_400_000;
const id = (prefix: string, i: number) => `${prefix}_${String(i).padStart(6, "0")}`;
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Multi-row INSERTs of literal values (no bound parameters), `rows` at a time, in one batch. */
async function insertRows(db: D1Database, head: string, values: string[], rows = 200) {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < values.length; i += rows)
    statements.push(db.prepare(`${head} values ${values.slice(i, i + rows).join(", ")}`));
  for (let i = 0; i < statements.length; i += 50) await db.batch(statements.slice(i, i + 50));
}

async function seed(env: Env, from: number, count: number, perCoach: number) {
  const now = Date.now();
  const coaches: string[] = [];
  const connections: string[] = [];
  const sessions: string[] = [];
  const invitees: string[] = [];
  for (let c = from; c < from + count; c++) {
    const coach = id("coa_scale", c);
    coaches.push(
      `(${q(coach)}, 'https://api.calendly.test/users/${coach}', 'Coach ${c}', '${coach}@coach.test', 'Europe/Berlin', ${q(`scale-${c}`)})`,
    );
    connections.push(
      `('con_${coach}', ${q(coach)}, 'calendly', ${q(coach)}, 'connected', 'v2.iv.a', 'v2.iv.r', ${now + 7 * DAY}, 'users:read scheduled_events:read')`,
    );
    for (let s = 0; s < perCoach; s++) {
      // Spread over the 30 days around now, on the hour, as a coach's month of sessions.
      const start = now - 15 * DAY + Math.floor((s * 30 * DAY) / perCoach);
      const ses = `ses_${coach}_${s}`;
      const uri = `https://api.calendly.test/scheduled_events/${coach}-${s}`;
      sessions.push(
        `(${q(ses)}, ${q(coach)}, ${q(uri)}, 'https://api.calendly.test/event_types/intro', 'Intro Call', 'active', ${start}, ${start + 3_600_000}, '{"type":"zoom_conference","join_url":"https://zoom.test/j/1"}', ${start - 3 * DAY})`,
      );
      invitees.push(
        `('inv_${coach}_${s}', ${q(coach)}, ${q(ses)}, ${q(`${uri}/invitees/1`)}, 'client${s % 25}@client.test', 'Client ${s % 25}', 'Europe/Berlin', 'active', '[{"question":"What would you like to work on?","answer":"Career change"}]', '{"utm_source":"site"}', ${q(`${uri}/reschedule`)})`,
      );
    }
  }
  await insertRows(
    env.DB,
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug)",
    coaches,
  );
  await insertRows(
    env.DB,
    "insert into provider_connections (id, coach_id, provider, external_user_id, status, access_token_enc, refresh_token_enc, access_expires_at, scopes)",
    connections,
  );
  await insertRows(
    env.DB,
    "insert into sessions (id, coach_id, calendly_uri, event_type_uri, name, status, starts_at, ends_at, location, booked_at)",
    sessions,
  );
  await insertRows(
    env.DB,
    "insert into invitees (id, coach_id, session_id, calendly_uri, email, name, time_zone, status, answers, tracking, reschedule_url)",
    invitees,
  );
  return { coaches: coaches.length, sessions: sessions.length };
}

async function seedWebhooks(
  env: Env,
  from: number,
  count: number,
  perCoach: number,
  bytes: number,
) {
  const now = Date.now();
  const payload = q(
    JSON.stringify({ event: "invitee.created", payload: { pad: "x".repeat(bytes) } }),
  );
  const rows: string[] = [];
  for (let c = from; c < from + count; c++) {
    const coach = id("coa_scale", c);
    for (let w = 0; w < perCoach; w++)
      rows.push(
        `('whe_${coach}_${w}', 'calendly', 'dk_${coach}_${w}', 'invitee.created', ${q(coach)}, ${payload}, 'processed', ${now - w * 60_000}, ${now})`,
      );
  }
  await insertRows(
    env.DB,
    "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at, processed_at)",
    rows,
    20,
  );
  return { webhookEvents: rows.length };
}

async function tick(env: Env, at: number, which: keyof typeof TASKS) {
  const out: Record<string, unknown> = { cron: CRON_OF[which] };
  for (const [name, task] of TASKS[which] ?? []) {
    const db = countingD1(env.DB);
    const jobs = recordingQueue();
    const events = recordingQueue();
    const counted = { ...env, DB: db.binding, JOBS: jobs.binding, WEBHOOK_EVENTS: events.binding };
    const started = performance.now();
    await task(counted as Env, new Date(at));
    const messages = [...jobs.bodies, ...events.bodies] as { type?: string }[];
    out[name] = {
      ms: Math.round(performance.now() - started),
      d1Statements: db.cost.statements,
      messages: messages.length,
      sendBatchCalls: jobs.calls.sendBatch + events.calls.sendBatch,
      sendCalls: jobs.calls.send + events.calls.send,
      ...(name === "dueSyncs" && { claims: messages.length }),
    };
  }
  return out;
}

async function signIn(env: Env, coachId: string) {
  const cookieValue = crypto.randomUUID();
  const idHash = await hmacSha256Hex(env.SESSION_SECRET, `session:${cookieValue}`);
  await env.DB.prepare(
    "insert into login_sessions (id_hash, coach_id, expires_at) values (?, ?, ?)",
  )
    .bind(idHash, coachId, Date.now() + DAY)
    .run();
  return { cookie: `__Host-kairos_session=${cookieValue}` };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/dev\/scale/, "");
    const n = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
    const json = (body: unknown) => Response.json(body);
    switch (path) {
      case "/seed":
        return json(await seed(env, n("from", 0), n("count", 1000), n("sessions", 40)));
      case "/seed-webhooks":
        return json(
          await seedWebhooks(
            env,
            n("from", 0),
            n("count", 100),
            n("perCoach", 50),
            n("bytes", 3500),
          ),
        );
      case "/size": {
        const r = await env.DB.prepare("select count(*) as coaches from coaches").first();
        const meta = (await env.DB.prepare("select 1").run()).meta as { size_after?: number };
        return json({ bytes: meta.size_after ?? null, ...r });
      }
      case "/tick": {
        const which = (url.searchParams.get("tasks") ?? "five") as keyof typeof TASKS;
        return json(await tick(env, n("at", Date.now()), which));
      }
      case "/sign-in":
        return json(await signIn(env, url.searchParams.get("coach") ?? ""));
    }
    if (path.startsWith("/app/")) {
      const db = countingD1(env.DB);
      const target = new URL(path.slice(4) + url.search, url.origin);
      const res = await app.fetch(new Request(target, request), { ...env, DB: db.binding }, ctx);
      const out = new Response(res.body, res);
      out.headers.set("X-Bench-D1-Statements", String(db.cost.statements));
      return out;
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
