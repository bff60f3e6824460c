#!/usr/bin/env node
/**
 * `npm run bench:scale`: seeds N coaches (BENCH_SCALE_COACHES, default "1000,10000": each size in
 * turn, in the same database) with a month of sessions into a throwaway local D1, and measures
 * Kairos's own cron fan-outs and hot API routes there (bench/scale/worker.ts, under `wrangler dev`
 * with the project's bindings): per size, the cold tick (every coach due), a repeated tick, an hour
 * of steady-state ticks (jittered), the hourly and daily scans, and the dashboard routes of one
 * coach; storage bytes per coach-month (sessions, invitees, raw webhook deliveries); and the
 * projected D1 load at 10,000 and 100,000 coaches. Writes the `scale` key of bench/results.json,
 * keeping the rest. Figures compare as ratios within one run: the machine is shared.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { bin, freePort, killTree, root, waitFor } from "./local-app.mjs";

const SIZES = (process.env.BENCH_SCALE_COACHES ?? "1000,10000").split(",").map(Number);
const SESSIONS_PER_COACH = 40; // about a month for a typical coach (issue 21)
const SEED_CHUNK = 500; // coaches per seed request
const ROUTE_RUNS = 25;
const WEBHOOK_SAMPLE = { coaches: 200, perCoach: 50, bytes: 3500 }; // invitee.created ≈ 3.5 KB
const FIVE_MIN = 300_000;
const HOUR = 3_600_000;
const D1 = { queriesPerSecond: 1000, gigabytes: 10 }; // one database (about 1 ms a query)
const PINNED = {
  // test/worker/scale/hot-path-costs.test.ts: what the consumer side costs, per operation.
  reconcilePageOf20Statements: 145,
  applyInviteeChangeStatements: 7,
  webhookIngestStatements: 1,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function main() {
  const state = mkdtempSync(join(tmpdir(), "kairos-scale-"));
  if (!existsSync(join(root, "dist")))
    spawnSync(bin("vite"), ["build", "--logLevel", "warn"], { cwd: root });
  const migrate = spawnSync(
    bin("wrangler"),
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state],
    { cwd: root, encoding: "utf8" },
  );
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stderr}`);
  const port = await freePort();
  const dev = spawn(
    bin("wrangler"),
    [
      "dev",
      "bench/scale/worker.ts",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      state,
    ],
    { cwd: root, stdio: "ignore", detached: true },
  );
  const stop = () => killTree(dev);
  process.on("exit", stop);
  const base = `http://127.0.0.1:${port}/dev/scale`;
  const call = async (path, init) => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { method: "POST", ...init });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    return { body, ms: performance.now() - started };
  };
  try {
    await waitFor(`${base}/size`, dev);
    const conditions = {
      cpus: cpus().length,
      loadAverageAtStart: loadavg().map((x) => round(x, 2)),
    };
    const sizes = [];
    let seeded = 0;
    let webhookBytesPerDelivery = null;
    let stage = 0;
    for (const n of SIZES) {
      stage++;
      const before = (await call("/size", { method: "GET" })).body.bytes;
      const seedStarted = performance.now();
      for (; seeded < n; seeded = Math.min(seeded + SEED_CHUNK, n))
        await call(
          `/seed?from=${seeded}&count=${Math.min(SEED_CHUNK, n - seeded)}&sessions=${SESSIONS_PER_COACH}`,
        );
      const seedSeconds = round((performance.now() - seedStarted) / 1000);
      const after = (await call("/size", { method: "GET" })).body.bytes;
      const addedCoaches = n - (sizes.at(-1)?.coaches ?? 0);
      const bytesPerCoachMonth =
        before && after ? Math.round((after - before) / addedCoaches) : null;
      if (webhookBytesPerDelivery === null) {
        const w = WEBHOOK_SAMPLE;
        const b0 = (await call("/size", { method: "GET" })).body.bytes;
        await call(
          `/seed-webhooks?from=0&count=${w.coaches}&perCoach=${w.perCoach}&bytes=${w.bytes}`,
        );
        const b1 = (await call("/size", { method: "GET" })).body.bytes;
        webhookBytesPerDelivery =
          b0 && b1 ? Math.round((b1 - b0) / (w.coaches * w.perCoach)) : null;
      }

      // Every coach is due at this stage's start (two hours after the last stage's slots).
      const t0 = Date.now() + stage * 2 * HOUR;
      const cold = await call(`/tick?at=${t0}&tasks=five`);
      const repeat = await call(`/tick?at=${t0}&tasks=five`);
      const steady = [];
      for (let k = 1; k <= 12; k++)
        steady.push(await call(`/tick?at=${t0 + k * FIVE_MIN}&tasks=five`));
      const hourly = await call(`/tick?at=${t0}&tasks=hourly`);
      const daily = await call(`/tick?at=${t0}&tasks=daily`);
      const sumStatements = (t) =>
        Object.values(t.body).reduce((s, x) => s + (typeof x === "object" ? x.d1Statements : 0), 0);
      const steadyClaims = steady.map((t) => t.body.dueSyncs.claims);
      const steadyStatements = steady.map(sumStatements);

      const coach = "coa_scale_000000";
      const { cookie } = (await call(`/sign-in?coach=${coach}`)).body;
      const routes = {};
      for (const path of ["/api/sessions?limit=25", "/api/clients", "/api/activity"]) {
        const ms = [];
        let statements = null;
        let status = null;
        for (let i = 0; i < ROUTE_RUNS; i++) {
          const started = performance.now();
          const res = await fetch(`${base}/app${path}`, { headers: { cookie } });
          await res.arrayBuffer();
          ms.push(performance.now() - started);
          statements = Number(res.headers.get("x-bench-d1-statements"));
          status = res.status;
        }
        routes[path] = { status, medianMs: round(median(ms)), d1Statements: statements };
      }
      const result = {
        coaches: n,
        sessionsPerCoach: SESSIONS_PER_COACH,
        seedSeconds,
        coldTick: {
          wallMs: Math.round(cold.ms),
          d1Statements: sumStatements(cold),
          tasks: cold.body,
        },
        repeatTick: {
          wallMs: Math.round(repeat.ms),
          claims: repeat.body.dueSyncs.claims,
          d1Statements: sumStatements(repeat),
        },
        steadyState: {
          ticks: 12,
          claimsPerTick: {
            min: Math.min(...steadyClaims),
            max: Math.max(...steadyClaims),
            mean: round(steadyClaims.reduce((a, b) => a + b, 0) / 12),
          },
          d1StatementsPerTick: {
            min: Math.min(...steadyStatements),
            max: Math.max(...steadyStatements),
          },
          wallMsPerTick: { median: Math.round(median(steady.map((t) => t.ms))) },
          cronD1StatementsPerCoachPerHour: round(
            (steadyStatements.reduce((a, b) => a + b, 0) + sumStatements(hourly)) / n,
            3,
          ),
        },
        hourlyTick: {
          wallMs: Math.round(hourly.ms),
          d1Statements: sumStatements(hourly),
          tasks: hourly.body,
        },
        dailyTick: {
          wallMs: Math.round(daily.ms),
          d1Statements: sumStatements(daily),
          tasks: daily.body,
        },
        routes,
        bytesPerCoachMonthSessionsAndInvitees: bytesPerCoachMonth,
      };
      sizes.push(result);
      console.log(
        `${n} coaches: cold tick ${result.coldTick.wallMs} ms, ${result.coldTick.d1Statements} statements, ${cold.body.dueSyncs.claims} claims; repeat claims ${result.repeatTick.claims}; steady ${result.steadyState.claimsPerTick.mean} claims/tick; sessions page ${routes["/api/sessions?limit=25"].medianMs} ms`,
      );
    }

    const [small, large] = [sizes[0], sizes.at(-1)];
    const ratio = (f) => round(f(large) / f(small), 2);
    const ratios = {
      of: `${large.coaches} vs ${small.coaches} coaches`,
      coldTickWallMsPerCoach: ratio((s) => s.coldTick.wallMs / s.coaches),
      coldTickStatementsPerCoach: ratio((s) => s.coldTick.d1Statements / s.coaches),
      steadyTickWallMs: ratio((s) => s.steadyState.wallMsPerTick.median),
      ...Object.fromEntries(
        Object.keys(large.routes).map((p) => [
          `route ${p} medianMs`,
          ratio((s) => s.routes[p].medianMs),
        ]),
      ),
    };

    // Load model (steady state, per coach): the measured cron cost, plus the consumer's cost of
    // the syncs the cron hands out (a typical coach's hourly sync reads ~130 events in its 97-day
    // window: 3 pages, each ~7 statements an invitee, pinned in hot-path-costs.test.ts), plus
    // webhook deliveries (~50 a month: ingest + apply).
    const eventsInWindow = Math.round((SESSIONS_PER_COACH * 97) / 30);
    const syncStatements = eventsInWindow * PINNED.applyInviteeChangeStatements + 3 * 5;
    const webhookStatementsPerHour =
      (WEBHOOK_SAMPLE.perCoach *
        (PINNED.webhookIngestStatements + PINNED.applyInviteeChangeStatements)) /
      (30 * 24);
    const perCoachPerHour = {
      cron: large.steadyState.cronD1StatementsPerCoachPerHour,
      scheduledSyncConsumer: syncStatements,
      webhooks: round(webhookStatementsPerHour, 2),
    };
    const totalPerCoachHour =
      perCoachPerHour.cron + perCoachPerHour.scheduledSyncConsumer + perCoachPerHour.webhooks;
    const bytesPerCoachMonth =
      (large.bytesPerCoachMonthSessionsAndInvitees ?? 0) +
      (webhookBytesPerDelivery ?? 0) * WEBHOOK_SAMPLE.perCoach;
    const project = (coaches) => ({
      coaches,
      d1QueriesPerSecond: round((coaches * totalPerCoachHour) / 3600),
      d1QueriesPerSecondWithoutSyncReplay: round(
        (coaches * (perCoachPerHour.cron + perCoachPerHour.webhooks)) / 3600,
        2,
      ),
      gigabytesAfterOneYear: round((coaches * bytesPerCoachMonth * 12) / 1e9, 2),
      shareOfOneD1: {
        queriesPerSecond: round((coaches * totalPerCoachHour) / 3600 / D1.queriesPerSecond, 2),
        storageAfterOneYear: round((coaches * bytesPerCoachMonth * 12) / 1e9 / D1.gigabytes, 2),
      },
    });
    const scale = {
      date: new Date().toISOString(),
      conditions: {
        ...conditions,
        loadAverageAtEnd: loadavg().map((x) => round(x, 2)),
        note: "local D1 (workerd SQLite) under wrangler dev on a shared machine; compare ratios within one run",
      },
      sizes,
      ratios,
      storage: {
        bytesPerCoachMonthSessionsAndInvitees: large.bytesPerCoachMonthSessionsAndInvitees,
        bytesPerWebhookDeliveryKept: webhookBytesPerDelivery,
        webhookDeliveriesPerCoachMonth: WEBHOOK_SAMPLE.perCoach,
        bytesPerCoachMonth,
      },
      loadModel: {
        assumptions: {
          sessionsPerCoachMonth: SESSIONS_PER_COACH,
          syncIntervalMinutes: 60,
          eventsInSyncWindow: eventsInWindow,
          pinnedCosts: PINNED,
        },
        d1StatementsPerCoachPerHour: { ...perCoachPerHour, total: round(totalPerCoachHour, 1) },
        projections: [project(10_000), project(100_000)],
      },
    };
    const file = join(root, "bench", "results.json");
    const results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
    writeFileSync(file, `${JSON.stringify({ ...results, scale }, null, 2)}\n`);
    console.log(
      JSON.stringify({ ratios, loadModel: scale.loadModel, storage: scale.storage }, null, 2),
    );
    console.log("Wrote the scale key of bench/results.json");
  } finally {
    stop();
    rmSync(state, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
