#!/usr/bin/env node
/**
 * `npm run bench`: bounded local load (autocannon, loopback only) against Kairos in sandbox mode and
 * a hello-world Hono worker on the same runtime, measured in one run so results compare as ratios.
 * Writes bench/results.json: requests/s, p50/p99 latency and the ratio to hello-world per route,
 * plus gzip sizes of the worker bundle and each web asset. Add routes to ROUTES.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { bin, freePort, killTree, root, waitFor } from "../scripts/local-app.mjs";

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SIGNING_KEY = "kairos_sandbox_calendly_signing_key"; // the sandbox's documented test key
const SUBSCRIPTION = "whs_bench";

function signedWebhook() {
  const body = JSON.stringify({
    event: "invitee.created",
    created_at: new Date().toISOString(),
    created_by: "https://api.calendly.test/users/bench",
    payload: {
      uri: `https://api.calendly.test/scheduled_events/b/invitees/${randomUUID()}`,
      updated_at: new Date().toISOString(),
    },
  });
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

const ROUTES = [
  { name: "GET /api/health (D1 + KV)", path: "/api/health" },
  { name: "GET /openapi.json", path: "/openapi.json" },
  { name: "GET /api/nope (JSON 404)", path: "/api/nope" },
  { name: "GET /api/me (401, session lookup)", path: "/api/me" },
  {
    name: "POST /webhooks/calendly (verify + insert + enqueue)",
    path: `/webhooks/calendly/${SUBSCRIPTION}`,
    request: signedWebhook,
  },
];

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

    await load(`http://127.0.0.1:${hPort}/`); // warm-up
    const helloResult = summary(await load(`http://127.0.0.1:${hPort}/`));
    const routes = [];
    for (const route of ROUTES) {
      await load(`http://127.0.0.1:${kPort}${route.path}`, route.request); // warm-up
      const r = summary(await load(`http://127.0.0.1:${kPort}${route.path}`, route.request));
      routes.push({
        name: route.name,
        ...r,
        ratioToHello: Number((r.requestsPerSecond / helloResult.requestsPerSecond).toFixed(3)),
      });
      console.log(
        `${route.name}: ${r.requestsPerSecond} req/s (×${routes.at(-1).ratioToHello} of hello), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
      );
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
      sizes: gzipSizes(),
    };
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
