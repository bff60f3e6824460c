#!/usr/bin/env node
/**
 * `npm start`: the whole app locally in sandbox mode, no account needed. Creates .dev.vars from the
 * example on first run, builds the web app, applies local D1 migrations and runs `wrangler dev` with
 * every base URL pointed at this port (so OAuth redirects and webhooks find their way back).
 * Env: PORT (default 8787), KAIROS_PERSIST_DIR (separate local state, e.g. for tests).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const port = Number(process.env.PORT ?? 8787);
const persist = process.env.KAIROS_PERSIST_DIR
  ? ["--persist-to", process.env.KAIROS_PERSIST_DIR]
  : [];
const quiet = process.env.KAIROS_QUIET === "1";

function run(cmd, args) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: quiet ? "ignore" : "inherit",
    env: process.env,
  });
  if (result.status !== 0) {
    console.error(`\n✗ ${[cmd, ...args].join(" ")} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(join(root, ".dev.vars"))) {
  copyFileSync(join(root, ".dev.vars.example"), join(root, ".dev.vars"));
  console.log("• Created .dev.vars from .dev.vars.example (fixed sandbox test secrets).");
}

console.log("• Building the web app…");
run(bin("vite"), ["build", "--logLevel", "warn"]);
console.log("• Applying D1 migrations to the local database…");
run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...persist]);

const origin = `http://localhost:${port}`;
const vars = {
  SANDBOX: "1",
  APP_URL: origin,
  CALENDLY_AUTH_BASE: `${origin}/sandbox/calendly`,
  CALENDLY_API_BASE: `${origin}/sandbox/calendly`,
  ZOOM_AUTH_BASE: `${origin}/sandbox/zoom`,
  ZOOM_API_BASE: `${origin}/sandbox/zoom/v2`,
};
const args = [
  "dev",
  "--port",
  String(port),
  "--ip",
  "127.0.0.1",
  ...persist,
  ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
];

console.log(`
  Kairos (sandbox mode) is starting on ${origin}
    App ............ ${origin}/            (sign in as Dana Reyes or Lee Park)
    Sandbox ........ ${origin}/sandbox     (simulate bookings, cancellations, Zoom meetings)
    API docs ....... ${origin}/api/docs
    Health ......... ${origin}/api/health
`);
const wrangler = spawn(bin("wrangler"), args, { cwd: root, stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));
