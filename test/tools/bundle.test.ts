/**
 * The production bundle, built as `npm run check` and `npm run deploy` build it (`wrangler deploy
 * --dry-run --env production`): the sandbox (fake Calendly/Zoom, which sign anyone in as any coach)
 * is not in it at all, it stays within the size budget, and it refuses to start as a public demo,
 * which needs the sandbox it no longer carries.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
/**
 * Issue 21's goal is 200 KiB gzip; it was met (169 KiB) before Zoom and notifications landed, and
 * the worker is 233 KiB with them (zod alone is ~200 KB minified: docs/scaling.md). Until the goal
 * is met again this is a ceiling just above today's size, so growth is a decision, not an accident.
 */
const GZIP_BUDGET_KIB = 240;

let outdir: string;
let wranglerOutput: string;
let bundle: string;
let bundledFiles: string[];

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "kairos-bundle-"));
  // The web build may not exist yet (a fresh clone runs tests before `vite build`).
  const assets = join(outdir, "assets");
  mkdirSync(assets);
  const build = spawnSync(
    "npx",
    [
      "wrangler",
      "deploy",
      "--dry-run",
      "--env",
      "production",
      "--assets",
      assets,
      "--outdir",
      join(outdir, "worker"),
      "--metafile",
      join(outdir, "meta.json"),
    ],
    { cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  wranglerOutput = `${build.stdout}\n${build.stderr}`;
  expect(build.status, wranglerOutput).toBe(0);
  bundle = readFileSync(join(outdir, "worker", "index.js"), "utf8");
  const meta = JSON.parse(readFileSync(join(outdir, "meta.json"), "utf8")) as {
    inputs: Record<string, unknown>;
  };
  bundledFiles = Object.keys(meta.inputs);
}, 120_000);

/** Evaluates the bundle in Node with `cloudflare:workers` standing in for the runtime's module. */
async function startBundle(env: Record<string, string>) {
  const runtime = `export const env = ${JSON.stringify(env)}; export class DurableObject {}`;
  const source = bundle.replaceAll(
    '"cloudflare:workers"',
    JSON.stringify(`data:text/javascript,${encodeURIComponent(runtime)}`),
  );
  return import(`data:text/javascript,${encodeURIComponent(source)}`);
}

describe("the production bundle", () => {
  it("contains no file of the sandbox and none of its pages", () => {
    expect(bundledFiles.some((file) => file.includes("worker/index.ts"))).toBe(true);
    expect(bundledFiles.filter((file) => file.includes("worker/sandbox/"))).toEqual([]);
    expect(bundle).not.toContain("local fake of Calendly");
  });

  it("carries English error messages only, not zod's other locales", () => {
    expect(bundledFiles.filter((file) => /zod\/v4\/locales\/(?!en\.js)/.test(file))).toEqual([]);
  });

  it(`is at most ${GZIP_BUDGET_KIB} KiB gzip, as wrangler reports it`, () => {
    const reported = wranglerOutput.match(/gzip: ([\d.]+) KiB/);
    expect(reported, wranglerOutput).not.toBeNull();
    expect(Number(reported?.[1])).toBeLessThanOrEqual(GZIP_BUDGET_KIB);
    expect(gzipSync(bundle).length / 1024).toBeLessThanOrEqual(GZIP_BUDGET_KIB);
  });

  it("starts with production settings", async () => {
    const worker = await startBundle({
      SANDBOX: "0",
      PUBLIC_DEMO: "0",
      APP_URL: "https://kairos.example.com",
      CALENDLY_AUTH_BASE: "https://auth.calendly.com",
      CALENDLY_API_BASE: "https://api.calendly.com",
    });
    expect(typeof worker.default.fetch).toBe("function");
  });

  it("refuses to start as a public demo, whose Calendly would be a missing /sandbox", async () => {
    const demo = "https://demo.example.com";
    await expect(
      startBundle({
        SANDBOX: "1",
        PUBLIC_DEMO: "1",
        APP_URL: demo,
        CALENDLY_AUTH_BASE: `${demo}/sandbox/calendly`,
        CALENDLY_API_BASE: `${demo}/sandbox/calendly`,
      }),
    ).rejects.toThrow(/leaves the sandbox out/);
  });
});
