/**
 * Starts Kairos as `npm start` does, on a free loopback port with its own throwaway state, for
 * scripts (bench, chaos). Returns its origin, the state folder and a stop() for the process tree.
 * KAIROS_APP_LOG=<file> appends the app's own output (wrangler and the worker's JSON logs) there.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const bin = (name) => join(root, "node_modules", ".bin", name);

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export async function waitFor(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited`);
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

export function killTree(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
}

export async function startLocalApp() {
  const appLog = process.env.KAIROS_APP_LOG ? openSync(process.env.KAIROS_APP_LOG, "a") : null;
  const state = mkdtempSync(join(tmpdir(), "kairos-local-"));
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), KAIROS_PERSIST_DIR: state, KAIROS_QUIET: "1" },
    stdio: appLog ? ["ignore", appLog, appLog] : "ignore",
    detached: true,
  });
  const origin = `http://localhost:${port}`;
  const stop = () => {
    killTree(child);
    rmSync(state, { recursive: true, force: true });
  };
  process.on("exit", stop);
  await waitFor(`${origin}/api/health`, child);
  return { origin, state, stop };
}

/** Runs SQL against the app's local D1 (read-only use: counts and comparisons). */
export function d1(state, sql) {
  const out = spawnSync(
    bin("wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
    { cwd: root, encoding: "utf8" },
  );
  if (out.status !== 0) throw new Error(`d1 execute failed: ${out.stderr}`);
  return JSON.parse(out.stdout)[0]?.results ?? [];
}
