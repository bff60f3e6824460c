#!/usr/bin/env node
/**
 * `npm run bench`: bounded local load (autocannon, loopback only) against Kairos in sandbox mode and
 * a hello-world Hono worker on the same runtime, measured in one run so results compare as ratios.
 * Writes bench/results.json: requests/s, p50/p99 latency and the ratio to hello-world per route,
 * plus gzip sizes of the worker bundle and each web asset. Add routes to ROUTES.
 * Booking widget (`widget` key): gzip size of the embed loader (dist/embed.js) and of every JS file the
 * booking page loads, each against its budget, plus the booking page's LCP in headless Chromium on an
 * emulated slow phone (median of 3; null with a reason when Chromium is unavailable).
 * Webhook ingest (`webhookIngest` key) is checked against its targets: ≥ 0.6 × hello's req/s and
 * p99 ≤ 2 × hello's p99. The route's work (verify + one queue send) is the same for every event; the
 * consumer shares this machine's two cores, so the target is measured with deliveries it only stores
 * (an event with nothing to apply), and a second row shows the same route while the consumer applies
 * a new booking for every delivery (about ten D1 statements each, on the same CPU).
 * Startup (`startup` key): `wrangler check startup` on the production bundle (scripts/bench-startup.mjs).
 * BENCH_ONLY=<substring> measures only the matching routes against hello and writes nothing.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomInt, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, posix } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { bookingPageLcp } from "../scripts/bench-lcp.mjs";
import { measureStartup } from "../scripts/bench-startup.mjs";
import { bin, freePort, killTree, root, waitFor } from "../scripts/local-app.mjs";

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SIGNING_KEY = "kairos_sandbox_calendly_signing_key"; // the sandbox's documented test key
const SUBSCRIPTION = "whs_bench";
const BUDGETS = { loaderGzipBytes: 2500, bookingPageJsGzipBytes: 15360 };

// Fixed for the whole run so the load measures the KV-cached path (warmed once before the load).
const AVAILABILITY_PATH = (() => {
  const now = new Date();
  const to = new Date(now.getTime() + 14 * 24 * 60 * 60 * 1000);
  const q = new URLSearchParams({
    coach: "dana-reyes",
    eventType: "intro-call",
    from: now.toISOString(),
    to: to.toISOString(),
  });
  return `/api/public/availability?${q}`;
})();

const WEBHOOK_TARGETS = { minRatioToHello: 0.6, maxP99ToHello: 2 };

/** Signed the way Calendly signs (the app-wide key: the bench subscription has no key of its own). */
function signed(body) {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", SIGNING_KEY).update(`${t}.${body}`).digest("hex");
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "calendly-webhook-signature": `t=${t},v1=${v1}`,
    },
  };
}

/** A routing form submission: the consumer stores it and has nothing to apply (same route work). */
function signedStoreOnlyWebhook() {
  const now = new Date().toISOString();
  return signed(
    JSON.stringify({
      event: "routing_form_submission.created",
      created_at: now,
      created_by: "https://api.calendly.test/users/bench",
      payload: {
        uri: `https://api.calendly.test/routing_form_submissions/${randomUUID()}`,
        routing_form: "https://api.calendly.test/routing_forms/bench",
        questions_and_answers: [
          {
            question_uuid: randomUUID(),
            question: "What would you like to work on?",
            answer: "x".repeat(600),
          },
          { question_uuid: randomUUID(), question: "Email", answer: "client@bench.test" },
        ],
        tracking: { utm_campaign: null, utm_source: "bench", utm_medium: null },
        result: { type: "event_type", value: "https://api.calendly.test/event_types/bench" },
        submitter: null,
        submitter_type: null,
        created_at: now,
        updated_at: now,
      },
    }),
  );
}

/** A complete invitee.created (a new booking each time), so the consumer really applies it. */
function signedBookingWebhook() {
  const now = new Date();
  const event = `https://api.calendly.test/scheduled_events/${randomUUID()}`;
  const start = new Date(now.getTime() + 7 * 24 * 60 * 60 * 1000);
  const body = JSON.stringify({
    event: "invitee.created",
    created_at: now.toISOString(),
    created_by: "https://api.calendly.test/users/bench",
    payload: {
      uri: `${event}/invitees/${randomUUID()}`,
      email: "client@bench.test",
      name: "Bench Client",
      status: "active",
      timezone: "UTC",
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      questions_and_answers: [],
      scheduled_event: {
        uri: event,
        name: "Intro Call",
        status: "active",
        start_time: start.toISOString(),
        end_time: new Date(start.getTime() + 30 * 60 * 1000).toISOString(),
        location: { type: "zoom_conference", join_url: "https://zoom.test/j/bench" },
      },
    },
  });
  return signed(body);
}

const ROUTES = [
  { name: "GET /api/health (D1 + KV)", path: "/api/health" },
  { name: "GET /openapi.json", path: "/openapi.json" },
  { name: "GET /api/nope (JSON 404)", path: "/api/nope" },
  { name: "GET /api/me (401, session lookup)", path: "/api/me" },
  {
    name: "GET /api/public/availability (KV cache)",
    path: AVAILABILITY_PATH,
    // Many clients, as in production: reads are limited to 30 a minute per IP (wrangler.toml), and
    // one address would measure the 429 path instead (wrangler dev keeps a sent CF-Connecting-IP).
    request: () => ({
      headers: {
        "cf-connecting-ip": `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
      },
    }),
  },
  {
    name: "POST /webhooks/calendly (verify + enqueue)",
    path: `/webhooks/calendly/${SUBSCRIPTION}`,
    request: signedStoreOnlyWebhook,
    webhook: true,
  },
  {
    name: "POST /webhooks/calendly (verify + enqueue; consumer applies a booking each)",
    path: `/webhooks/calendly/${SUBSCRIPTION}`,
    request: signedBookingWebhook,
  },
];
const ONLY = process.env.BENCH_ONLY;
const selected = ONLY ? ROUTES.filter((r) => r.name.includes(ONLY)) : ROUTES;

function load(url, request) {
  return new Promise((resolve, reject) => {
    const opts = { url, connections: CONNECTIONS, duration: DURATION };
    if (request) opts.requests = [{ setupRequest: (req) => ({ ...req, ...request() }) }];
    autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

const summary = (r) => ({
  requestsPerSecond: Math.round(r.requests.average),
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
});

function gzipSizes() {
  const out = mkdtempSync(join(tmpdir(), "kairos-dry-"));
  spawnSync(bin("wrangler"), ["deploy", "--dry-run", "--env", "production", "--outdir", out], {
    cwd: root,
    stdio: "ignore",
  });
  const bundle = readFileSync(join(out, "index.js"));
  rmSync(out, { recursive: true, force: true });
  const assets = join(root, "dist", "assets");
  const web = Object.fromEntries(
    readdirSync(assets)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => [f.replace(/-[\w-]{8}\./, "."), gzipSync(readFileSync(join(assets, f))).length]),
  );
  return {
    workerBundleGzipBytes: gzipSync(bundle).length,
    workerBundleRawBytes: bundle.length,
    webAssetsGzipBytes: web,
  };
}

const gzipBytes = (file) => gzipSync(readFileSync(file)).length;

/**
 * Every JS file dist/book.html loads: its module scripts and modulepreloads, plus the chunks those
 * import statically (`from "./x.js"` / `import "./x.js"`), followed recursively.
 */
function bookingPageJsFiles() {
  const dist = join(root, "dist");
  const html = readFileSync(join(dist, "book.html"), "utf8");
  const queue = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name) => tag.match(new RegExp(`\\b${name}\\s*=\\s*["']?([^"'\\s>]+)`, "i"))?.[1];
    if (/^<script/i.test(tag) && attr("src")) queue.push(attr("src"));
    if (/^<link/i.test(tag) && attr("rel")?.toLowerCase() === "modulepreload" && attr("href"))
      queue.push(attr("href"));
  }
  const seen = new Set();
  while (queue.length) {
    const url = queue.shift();
    if (/^[a-z]+:\/\//i.test(url) || url.startsWith("//")) continue; // external: not ours to size
    const rel = posix.normalize(url.split(/[?#]/)[0].replace(/^\/+/, ""));
    if (seen.has(rel) || !rel.endsWith(".js")) continue;
    const file = join(dist, rel);
    if (!existsSync(file)) throw new Error(`book.html references missing ${url}`);
    seen.add(rel);
    const code = readFileSync(file, "utf8");
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g))
      queue.push(`/${posix.join(posix.dirname(rel), m[1])}`);
  }
  return [...seen].map((rel) => ({ file: rel, gzipBytes: gzipBytes(join(dist, rel)) }));
}

function widgetSizes() {
  const loaderGzipBytes = gzipBytes(join(root, "dist", "embed.js"));
  const files = bookingPageJsFiles();
  const bookingPageJsGzipBytes = files.reduce((n, f) => n + f.gzipBytes, 0);
  return {
    loaderGzipBytes,
    bookingPageJsGzipBytes,
    bookingPageJsFiles: files,
    budgets: BUDGETS,
    withinBudget: {
      loaderGzipBytes: loaderGzipBytes <= BUDGETS.loaderGzipBytes,
      bookingPageJsGzipBytes: bookingPageJsGzipBytes <= BUDGETS.bookingPageJsGzipBytes,
    },
  };
}

/** Scripted sandbox sign-in (as test/e2e/helpers.ts scriptedSignIn): returns the session cookie. */
async function scriptedSignIn(origin, email) {
  const start = await fetch(`${origin}/oauth/calendly/start`, { redirect: "manual" });
  const stateCookie = start.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const authorize = new URL(start.headers.get("location") ?? "", origin);
  authorize.searchParams.set("sandbox_user", email);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = await fetch(new URL(approved.headers.get("location") ?? "", authorize), {
    redirect: "manual",
    headers: { cookie: stateCookie },
  });
  const session = callback.headers
    .getSetCookie()
    .find((c) => c.startsWith("__Host-kairos_session="));
  if (callback.status !== 302 || !session)
    throw new Error(`sandbox sign-in as ${email} failed (callback ${callback.status})`);
  return session.split(";")[0];
}

/** Dana signs in once and syncs her event types, then one request fills the availability cache. */
async function prepareAvailability(origin) {
  const cookie = await scriptedSignIn(origin, "dana@coach.test");
  const sync = await fetch(`${origin}/api/event-types/refresh`, {
    method: "POST",
    headers: { cookie, origin },
  });
  if (!sync.ok) throw new Error(`event type sync failed: ${sync.status} ${await sync.text()}`);
  const get = async () => {
    const r = await fetch(`${origin}${AVAILABILITY_PATH}`);
    if (!r.ok) throw new Error(`availability warm-up failed: ${r.status} ${await r.text()}`);
    return (await r.json()).updatedAt;
  };
  const warmed = await get();
  // A cache hit answers with the warm-up's updatedAt; a new one means the request went to Calendly.
  return { servedFromCache: (await get()) === warmed };
}

async function main() {
  const state = mkdtempSync(join(tmpdir(), "kairos-bench-"));
  const [kPort, hPort] = [await freePort(), await freePort()];
  const kairos = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: String(kPort), KAIROS_PERSIST_DIR: state, KAIROS_QUIET: "1" },
    stdio: "ignore",
    detached: true,
  });
  const hello = spawn(
    bin("wrangler"),
    ["dev", "-c", "bench/hello/wrangler.toml", "--port", String(hPort), "--persist-to", state],
    {
      cwd: root,
      stdio: "ignore",
      detached: true,
    },
  );
  const stop = () => {
    killTree(kairos);
    killTree(hello);
  };
  process.on("exit", stop);
  try {
    await waitFor(`http://127.0.0.1:${kPort}/api/health`, kairos);
    await waitFor(`http://127.0.0.1:${hPort}/`, hello);
    // A coach with a webhook subscription, so signed deliveries are accepted and stored.
    spawnSync(
      bin("wrangler"),
      [
        "d1",
        "execute",
        "DB",
        "--local",
        "--persist-to",
        state,
        "--command",
        `insert or ignore into coaches (id, calendly_user_uri, name, email, time_zone, slug) values ('coa_bench','https://api.calendly.test/users/bench','Bench','bench@coach.test','UTC','bench');
       insert or ignore into webhook_subscriptions (id, coach_id, provider, uri, callback_url, events, state) values ('${SUBSCRIPTION}','coa_bench','calendly','https://api.calendly.test/webhook_subscriptions/bench','http://localhost/webhooks/calendly/${SUBSCRIPTION}','[]','active');`,
      ],
      { cwd: root, stdio: "ignore" },
    );

    // The origin the sandbox's OAuth redirects point at (scripts/start.mjs APP_URL).
    const origin = `http://localhost:${kPort}`;
    const availability = ONLY ? { servedFromCache: null } : await prepareAvailability(origin);
    if (availability.servedFromCache === false)
      console.warn(
        "! availability: a repeat request was not served from the KV cache (updatedAt changed)",
      );

    await load(`http://127.0.0.1:${hPort}/`); // warm-up
    const helloResult = summary(await load(`http://127.0.0.1:${hPort}/`));
    const routes = [];
    let webhookIngest = null;
    for (const route of selected) {
      // On a shared machine the load drifts over a run: the ingest target also compares with a
      // hello-world measured right before it.
      const adjacentHello = route.webhook
        ? summary(await load(`http://127.0.0.1:${hPort}/`))
        : null;
      await load(`http://127.0.0.1:${kPort}${route.path}`, route.request); // warm-up
      const r = summary(await load(`http://127.0.0.1:${kPort}${route.path}`, route.request));
      routes.push({
        name: route.name,
        ...r,
        ratioToHello: Number((r.requestsPerSecond / helloResult.requestsPerSecond).toFixed(3)),
        ...(route.path === AVAILABILITY_PATH && {
          servedFromCache: availability.servedFromCache,
        }),
      });
      console.log(
        `${route.name}: ${r.requestsPerSecond} req/s (×${routes.at(-1).ratioToHello} of hello), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
      );
      if (adjacentHello) {
        const against = (h) => ({
          ratioToHello: Number((r.requestsPerSecond / h.requestsPerSecond).toFixed(3)),
          p99ToHello: Number((r.p99Ms / h.p99Ms).toFixed(3)),
        });
        const met = (x) =>
          x.ratioToHello >= WEBHOOK_TARGETS.minRatioToHello &&
          x.p99ToHello <= WEBHOOK_TARGETS.maxP99ToHello &&
          r.non2xx === 0;
        const runHello = against(helloResult);
        const adjacent = { hello: adjacentHello, ...against(adjacentHello) };
        webhookIngest = {
          route: route.name,
          targets: WEBHOOK_TARGETS,
          againstRunHello: { ...runHello, met: met(runHello) },
          againstAdjacentHello: { ...adjacent, met: met(adjacent) },
        };
        for (const [label, x] of [
          ["the run's hello", runHello],
          ["a hello measured just before", adjacent],
        ]) {
          console.log(
            `webhook ingest vs ${label}: ×${x.ratioToHello} req/s (target ≥ ${WEBHOOK_TARGETS.minRatioToHello}), p99 ×${x.p99ToHello} (target ≤ ${WEBHOOK_TARGETS.maxP99ToHello}): ${met(x) ? "met" : "NOT MET"}`,
          );
        }
      }
    }
    if (ONLY) {
      console.log(
        `hello-world: ${helloResult.requestsPerSecond} req/s, p99 ${helloResult.p99Ms} ms (BENCH_ONLY: nothing written)`,
      );
      return;
    }
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      load: {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        note: "wrangler dev on loopback; compare ratios within one run",
      },
      hello: { name: "hello-world Hono GET /", ...helloResult },
      routes,
      webhookIngest,
      sizes: gzipSizes(),
      startup: await measureStartup(),
      widget: { ...widgetSizes(), bookingPageLcpMs: await bookingPageLcp(origin) },
    };
    const w = results.widget;
    const ok = (b) => (b ? "within budget" : "OVER BUDGET");
    console.log(
      `widget loader (dist/embed.js): ${w.loaderGzipBytes} B gzip / ${w.budgets.loaderGzipBytes} B (${ok(w.withinBudget.loaderGzipBytes)})`,
    );
    console.log(
      `booking page JS (${w.bookingPageJsFiles.map((f) => f.file).join(", ")}): ${w.bookingPageJsGzipBytes} B gzip / ${w.budgets.bookingPageJsGzipBytes} B (${ok(w.withinBudget.bookingPageJsGzipBytes)})`,
    );
    const lcp = w.bookingPageLcpMs;
    console.log(
      lcp.medianMs === null
        ? `booking page LCP: not measured (${lcp.reason})`
        : `booking page LCP (slow phone): median ${lcp.medianMs} ms of [${lcp.runsMs.join(", ")}]`,
    );
    writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`hello-world: ${helloResult.requestsPerSecond} req/s. Wrote bench/results.json`);
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
