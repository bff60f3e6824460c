/** `npm run smoke` passes against the app as `npm start` runs it (CI's stand-in for a deploy). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "./app-server";

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

describe("npm run smoke", () => {
  it("passes every check against the local app", () => {
    const run = spawnSync(process.execPath, ["scripts/smoke.mjs", app.origin], {
      cwd: join(import.meta.dirname, "../.."),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stdout).toContain("All 7 checks passed.");
    expect(run.stdout).not.toContain("✗");
    expect(run.status).toBe(0);
  });
});
