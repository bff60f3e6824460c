#!/usr/bin/env node
/**
 * `npm run bench:calendly`: Calendly calls per coach per day. Runs
 * test/worker/scale/calendly-calls.test.ts (the calls counted at the fake Calendly for one scheduled
 * sync, one token refresh, one subscription check) and stores the day's budget it prints under the
 * `calendly` key of bench/results.json, keeping the rest. Counts, not timings: the machine's load
 * does not move them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, root } from "./local-app.mjs";

const run = spawnSync(
  bin("vitest"),
  ["run", "--project", "worker", "test/worker/scale/calendly-calls.test.ts"],
  { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const line = `${run.stdout}\n${run.stderr}`
  .split("\n")
  .find((l) => l.includes("CALENDLY_BUDGET {"));
if (run.status !== 0 || !line) {
  console.error(run.stdout.slice(-4000), run.stderr.slice(-4000));
  throw new Error("calendly-calls.test.ts failed or printed no budget");
}
const budget = JSON.parse(line.slice(line.indexOf("{")));
const calendly = { date: new Date().toISOString(), ...budget };
const file = join(root, "bench", "results.json");
const results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
writeFileSync(file, `${JSON.stringify({ ...results, calendly }, null, 2)}\n`);
const d = budget.perDay;
console.log(
  `Calendly calls per coach per day: ${d.webhooksHealthy.total} with webhooks healthy (goal ≤ ${budget.goals.perDayHealthy}), ${d.webhooksLost.total} with webhooks lost; busiest minute ${budget.peakMinute.calls} calls (${Math.round(budget.peakMinute.shareOfLimit * 100)} % of ${budget.peakMinute.planLimitPerMinute}/min; goal ≤ ${budget.goals.peakMinuteShareOfLimit * 100} %). Wrote the calendly key of bench/results.json`,
);
