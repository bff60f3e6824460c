#!/usr/bin/env node
/**
 * `npm run deploy`: Kairos on your Cloudflare account in one guided, idempotent command.
 * Checks the wrangler login, creates what is missing (D1, KV, the four queues), writes their ids and
 * your host into wrangler.toml's [env.production], uploads the missing secrets with one
 * `wrangler secret bulk` (generating ENCRYPTION_KEYS and SESSION_SECRET), builds, applies the remote
 * D1 migrations, deploys `--env production`, smoke-checks the live URL and prints what to paste into
 * Calendly's, Zoom's and Turnstile's consoles. A second run creates nothing that exists.
 *
 *   npm run deploy -- [--host kairos.example.com] [--values values.json] [--dry-run] [--skip-smoke]
 *
 * --values: a JSON file of { "NAME": "value" } for the secrets and vars below (else you are asked).
 * --dry-run: reads your account (when logged in), prints the plan, changes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  D1_NAME,
  KV_TITLE,
  PRODUCTION_SECRETS,
  PRODUCTION_VARS,
  PRODUCTION_WORKER,
  QUEUES,
} from "./deploy/config.mjs";
import { printConsoleValues } from "./deploy/console-values.mjs";
import { readProduction, setD1Id, setHost, setKvId, setProductionVar } from "./deploy/toml.mjs";
import { smoke } from "./smoke.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: flags } = parseArgs({
  options: {
    host: { type: "string" },
    values: { type: "string" },
    config: { type: "string", default: join(root, "wrangler.toml") },
    "dry-run": { type: "boolean", default: false },
    "skip-smoke": { type: "boolean", default: false },
  },
});
const dryRun = flags["dry-run"];
const configPath = resolve(flags.config);
const given = flags.values ? JSON.parse(readFileSync(flags.values, "utf8")) : {};
const PROD = ["--env", "production", "--config", configPath];

/** A command from PATH (npm puts the project's own bin first), else the project's own copy. */
const onPath = (name) =>
  (process.env.PATH ?? "")
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((p) => existsSync(p)) ?? join(root, "node_modules", ".bin", name);

/** Runs wrangler; `json` parses its stdout (wrangler may print a banner first). */
function wrangler(args, { json = false, mayFail = false } = {}) {
  console.log(`  → wrangler ${args.filter((a) => a !== configPath).join(" ")}`);
  const run = spawnSync(onPath("wrangler"), args, {
    cwd: root,
    encoding: "utf8",
    env: process.env,
  });
  if (run.error) throw new Error(`could not run wrangler: ${run.error.message}`);
  if (run.status !== 0) {
    if (mayFail) return null;
    throw new Error(`wrangler ${args[0]} failed:\n${run.stderr || run.stdout}`);
  }
  if (!json) return run.stdout;
  const start = run.stdout.search(/[[{]/);
  return JSON.parse(run.stdout.slice(start));
}

async function ask(question, { optional = false } = {}) {
  if (!process.stdin.isTTY) {
    if (optional) return "";
    throw new Error(`missing value: ${question} (pass it in --values or run in a terminal)`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await rl.question(`  ${question}: `)).trim();
  rl.close();
  if (!answer && !optional) return ask(question, { optional });
  return answer;
}

async function main() {
  console.log(dryRun ? "Kairos deploy — dry run (nothing is changed)\n" : "Kairos deploy\n");

  console.log("1. Cloudflare login");
  const me = wrangler(["whoami", "--json"], { json: true, mayFail: true });
  if (!me && !dryRun) throw new Error("not logged in: run `npx wrangler login` first");
  console.log(
    me
      ? `  logged in as ${me.email ?? "(API token)"}`
      : "  not logged in (the plan assumes a new account; run `npx wrangler login` before deploying)",
  );

  console.log("\n2. What exists");
  const d1 = me ? (wrangler(["d1", "list", "--json"], { json: true }) ?? []) : [];
  const kv = me ? (wrangler(["kv", "namespace", "list"], { json: true }) ?? []) : [];
  const queueList = me ? wrangler(["queues", "list"]) : "";
  const existingQueues = new Set(queueList.split(/[\s│|]+/));
  const secretList = me
    ? (wrangler(["secret", "list", ...PROD, "--format", "json"], { json: true, mayFail: true }) ??
      [])
    : [];
  const existingSecrets = new Set(secretList.map((s) => s.name));

  let toml = readFileSync(configPath, "utf8");
  const host =
    flags.host ??
    given.HOST ??
    (readProduction(toml, "[env.production.vars]", "APP_URL") ?? "").replace(/^https:\/\//, "");
  const hostValue =
    !host || host === "kairos.example.com"
      ? dryRun
        ? "<your host>"
        : await ask("Host name (e.g. kairos.example.com or kairos.<you>.workers.dev)")
      : host;

  const plan = [];
  const ourDatabase = (d) => d.name === D1_NAME;
  // Older wrangler versions prefix a namespace's title with the worker's name.
  const ourNamespace = (n) => n.title === KV_TITLE || n.title?.endsWith(`-${KV_TITLE}`);
  const db = d1.find(ourDatabase);
  if (!db) plan.push({ what: `create D1 database ${D1_NAME}`, run: ["d1", "create", D1_NAME] });
  const ns = kv.find(ourNamespace);
  if (!ns)
    plan.push({
      what: `create KV namespace ${KV_TITLE}`,
      run: ["kv", "namespace", "create", KV_TITLE],
    });
  for (const q of QUEUES.filter((q) => !existingQueues.has(q))) {
    plan.push({ what: `create queue ${q}`, run: ["queues", "create", q] });
  }

  const secrets = {};
  for (const s of PRODUCTION_SECRETS.filter((s) => !existingSecrets.has(s.name))) {
    const value =
      given[s.name] ??
      (s.ask && !dryRun ? await ask(s.ask, { optional: Boolean(s.generate || s.optional) }) : "");
    secrets[s.name] = value || (s.generate && !dryRun ? s.generate() : value);
  }
  const vars = { APP_URL: `https://${hostValue}` };
  for (const v of PRODUCTION_VARS.filter((v) => v.ask)) {
    const current = readProduction(toml, "[env.production.vars]", v.name);
    vars[v.name] =
      given[v.name] ?? (current || dryRun ? current : await ask(v.ask, { optional: v.optional }));
  }

  console.log("\n3. Plan");
  for (const step of plan) console.log(`  • ${step.what}`);
  console.log(
    `  • write ids, host ${hostValue} and vars (${Object.keys(vars).join(", ")}) into ${configPath}`,
  );
  const missing = Object.keys(secrets);
  console.log(
    missing.length
      ? `  • upload secrets with one \`wrangler secret bulk\`: ${missing.join(", ")}`
      : "  • secrets: all set already",
  );
  console.log("  • build the web app, apply remote D1 migrations, deploy --env production");
  console.log(
    flags["skip-smoke"] ? "  • (smoke check skipped)" : `  • smoke-check https://${hostValue}`,
  );
  if (dryRun) {
    printConsoleValues(hostValue, root);
    return;
  }

  console.log("\n4. Creating what is missing");
  for (const step of plan) wrangler(step.run);
  const dbId = (db ?? wrangler(["d1", "list", "--json"], { json: true }).find(ourDatabase))?.uuid;
  const kvId = (ns ?? wrangler(["kv", "namespace", "list"], { json: true }).find(ourNamespace))?.id;
  if (!dbId || !kvId) throw new Error("created resources but could not read their ids back");

  toml = setHost(setKvId(setD1Id(toml, dbId), kvId), hostValue);
  for (const [name, value] of Object.entries(vars))
    toml = setProductionVar(toml, name, value ?? "");
  writeFileSync(configPath, toml);
  console.log(`  wrote ${configPath}`);

  if (missing.length) {
    const dir = mkdtempSync(join(tmpdir(), "kairos-secrets-"));
    const file = join(dir, "secrets.json");
    try {
      writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
      wrangler(["secret", "bulk", file, ...PROD]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log("\n5. Build, migrate, deploy");
  const build = spawnSync(onPath("vite"), ["build", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("the web build failed");
  wrangler(["d1", "migrations", "apply", "DB", "--remote", ...PROD]);
  wrangler(["deploy", ...PROD]);

  if (!flags["skip-smoke"]) {
    console.log(`\n6. Smoke check of https://${hostValue}`);
    const results = await smoke(`https://${hostValue}`, {
      log: (line) => console.log(`  ${line}`),
    });
    if (results.some((r) => !r.ok)) {
      console.log(
        "  Some checks failed: see docs/deployment.md → Troubleshooting. A new custom domain can take a few minutes.",
      );
      process.exitCode = 1;
    }
  }
  printConsoleValues(hostValue, root);
  console.log(`\nDone: ${PRODUCTION_WORKER} is live at https://${hostValue}`);
}

main().catch((err) => {
  console.error(`\n✗ ${err.message}`);
  process.exit(1);
});
