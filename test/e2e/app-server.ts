/**
 * Starts Kairos exactly as `npm start` does (sandbox mode), on a free port with its own fresh local
 * state, and stops the whole process tree afterwards.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export type RunningApp = { origin: string; stop: () => Promise<void>; output: () => string };

export async function startApp(): Promise<RunningApp> {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "kairos-e2e-"));
  let log = "";
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: join(import.meta.dirname, "../.."),
    env: { ...process.env, PORT: String(port), KAIROS_PERSIST_DIR: state, KAIROS_QUIET: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const origin = `http://localhost:${port}`;
  const stop = async () => {
    if (child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log}`);
    const ok = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { origin, stop, output: () => log };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`Kairos did not become healthy within 150 s:\n${log}`);
}
