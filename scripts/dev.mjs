#!/usr/bin/env node
/**
 * `npm run dev`: hot-reloading web app. Runs `npm start` (the worker in sandbox mode on 8787, or
 * WORKER_PORT) and Vite's dev server on 5173, which proxies /api, /oauth, /webhooks, /sandbox,
 * /openapi.json and /vendor to the worker. Open http://localhost:5173.
 * OAuth redirects return to APP_URL (the worker's port), which serves the last `vite build`; after
 * signing in, go back to :5173 — the session cookie is shared because both are on localhost.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workerPort = process.env.WORKER_PORT ?? "8787";
const env = { ...process.env, PORT: workerPort, WORKER_PORT: workerPort };

const children = [
  spawn(process.execPath, [join(root, "scripts", "start.mjs")], {
    cwd: root,
    stdio: "inherit",
    env,
  }),
  spawn(join(root, "node_modules", ".bin", "vite"), ["--port", "5173"], {
    cwd: root,
    stdio: "inherit",
    env,
  }),
];
const stop = (signal) => {
  for (const child of children) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));
for (const child of children)
  child.on("exit", (code) => (stop("SIGTERM"), process.exit(code ?? 0)));
