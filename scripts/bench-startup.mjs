#!/usr/bin/env node
/**
 * Worker startup, measured the way Cloudflare reports it: builds the production bundle once
 * (`wrangler deploy --dry-run --env production --outfile`, the exact upload), then runs
 * `wrangler check startup --worker <bundle>` STARTUP_RUNS times (local workerd, offline) and reads
 * each CPU profile. Figures: wrangler's "Active" time (profile samples that are not idle), min and
 * median, and the active time attributed to source modules through the bundle's source map
 * (inclusive: a sample counts for every module on its stack), so a regression names its module.
 * `npm run bench:startup` prints it and stores it under the `startup` key of bench/results.json
 * (keeping the rest); `npm run bench` measures it too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SourceMapConsumer } from "source-map";
import { bin, root } from "./local-app.mjs";

const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
export const STARTUP_GOAL_MS = 40;
const IDLE = new Set(["(idle)", "(program)"]);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;

function run(args) {
  const r = spawnSync(bin("wrangler"), args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler ${args[0]} ${args[1]} failed:\n${r.stderr}`);
  return r.stdout;
}

/** A source path shortened to what a reader looks for: worker/… or the npm package. */
function moduleOf(source) {
  if (!source) return "(unknown)";
  const nm = source.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = source.slice(nm + 13).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const w = source.indexOf("worker/");
  return w >= 0 ? source.slice(w) : source;
}

/** Active ms of one profile, and per module (inclusive) via the bundle's source map. */
function analyse(profile, consumer) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameModule = new Map();
  const moduleOfNode = (n) => {
    if (!frameModule.has(n.id)) {
      const { lineNumber, columnNumber, url } = n.callFrame;
      const pos =
        url && lineNumber >= 0
          ? consumer.originalPositionFor({ line: lineNumber + 1, column: columnNumber })
          : null;
      frameModule.set(n.id, pos?.source ? moduleOf(pos.source) : null);
    }
    return frameModule.get(n.id);
  };
  let active = 0;
  let gc = 0;
  const perModule = {};
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample's time is until the next one
    const leaf = nodes.get(id);
    if (IDLE.has(leaf.callFrame.functionName)) return;
    active += dt;
    if (leaf.callFrame.functionName === "(garbage collector)") gc += dt;
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const m = moduleOfNode(nodes.get(n));
      if (m && !seen.has(m)) {
        seen.add(m);
        perModule[m] = (perModule[m] ?? 0) + dt;
      }
    }
  });
  return { active, gc, perModule };
}

export async function measureStartup() {
  // The build's config serves dist/ as static assets: a fresh clone builds the web app first.
  if (!existsSync(join(root, "dist"))) {
    const vite = spawnSync(bin("vite"), ["build", "--logLevel", "warn"], { cwd: root });
    if (vite.status !== 0) throw new Error("vite build failed");
  }
  const dir = mkdtempSync(join(tmpdir(), "kairos-startup-"));
  try {
    const bundle = join(dir, "worker.bundle");
    run(["deploy", "--dry-run", "--env", "production", "--outfile", bundle]);
    // The same build again as plain files, for its source map.
    run(["deploy", "--dry-run", "--env", "production", "--outdir", join(dir, "out")]);
    const map = JSON.parse(readFileSync(join(dir, "out", "index.js.map"), "utf8"));
    const consumer = await new SourceMapConsumer(map);
    const runs = [];
    const wranglerActive = [];
    const modules = {};
    for (let i = 0; i < RUNS; i++) {
      const outfile = join(dir, `startup-${i}.cpuprofile`);
      const out = run(["check", "startup", "--worker", bundle, "--outfile", outfile]);
      const reported = out.match(/Active:\s*([\d.]+)\s*ms/);
      const a = analyse(JSON.parse(readFileSync(outfile, "utf8")), consumer);
      // A profile with no samples in the startup window (seen now and then) measures nothing.
      if (a.active === 0) continue;
      if (reported) wranglerActive.push(Number(reported[1]));
      runs.push(round(a.active));
      for (const [m, ms] of Object.entries(a.perModule)) (modules[m] ??= []).push(ms);
    }
    consumer.destroy?.();
    const topModules = Object.entries(modules)
      .map(([m, xs]) => [m, round(median([...xs, ...Array(runs.length - xs.length).fill(0)]))])
      .filter(([, ms]) => ms >= 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25);
    const activeMs = wranglerActive.length === runs.length ? wranglerActive : runs;
    return {
      method: `wrangler check startup --worker <production bundle>, ${runs.length} of ${RUNS} runs with samples, local workerd; "Active" = non-idle profile samples (wrangler's own figure)`,
      goalMs: STARTUP_GOAL_MS,
      activeMs: { min: Math.min(...activeMs), median: median(activeMs), runs: activeMs },
      met: median(activeMs) <= STARTUP_GOAL_MS,
      medianMsByModuleInclusive: Object.fromEntries(topModules),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const startup = {
    date: new Date().toISOString(),
    loadAverage: loadavg(),
    ...(await measureStartup()),
  };
  console.log(JSON.stringify(startup, null, 2));
  const file = join(root, "bench", "results.json");
  const results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  writeFileSync(file, `${JSON.stringify({ ...results, startup }, null, 2)}\n`);
}
