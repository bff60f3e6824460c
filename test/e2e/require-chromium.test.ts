/** A newcomer without Chromium gets one clear line from `npm test`, not a Playwright stack trace. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("the e2e suite on a machine without Chromium", () => {
  it("stops at once with one line naming the install command and CHROMIUM_PATH", () => {
    const run = spawnSync(
      process.execPath,
      ["node_modules/vitest/vitest.mjs", "run", "--project", "e2e", "test/e2e/signin.test.ts"],
      {
        cwd: join(import.meta.dirname, "../.."),
        env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium", CI: "true" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    const said = run.stderr.split("\n").filter((line) => line.includes("Chromium"));
    expect(said).toEqual([
      "The end-to-end suite needs Chromium at /nonexistent/chromium: install it with `sudo apt-get install -y chromium`, or set CHROMIUM_PATH to another Chromium.",
    ]);
    expect(run.stderr + run.stdout).not.toMatch(/playwright|at .*\.ts:\d+/i);
  });
});
