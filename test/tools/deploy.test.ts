/**
 * `npm run deploy` against a stub `wrangler` on PATH (test/tools/stub-bin): the calls it makes, in
 * order, what it writes into wrangler.toml, and that a second run creates nothing.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parse } from "smol-toml";
import { beforeEach, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kairos-deploy-"));
  copyFileSync(join(root, "wrangler.toml"), join(dir, "wrangler.toml"));
  writeFileSync(
    join(dir, "values.json"),
    JSON.stringify({
      CALENDLY_CLIENT_ID: "cal-id",
      CALENDLY_CLIENT_SECRET: "cal-secret",
      CALENDLY_WEBHOOK_SIGNING_KEY: "cal-signing",
      TURNSTILE_SECRET_KEY: "ts-secret",
      TURNSTILE_SITE_KEY: "ts-site",
      ADMIN_EMAILS: "ops@example.com",
    }),
  );
});

function deploy(...flags: string[]) {
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  const run = spawnSync(
    process.execPath,
    [
      "scripts/deploy.mjs",
      "--config",
      join(dir, "wrangler.toml"),
      "--values",
      join(dir, "values.json"),
      ...flags,
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${join(import.meta.dirname, "stub-bin")}${delimiter}${process.env.PATH}`,
        STUB_LOG: log,
        STUB_STATE: join(dir, "account.json"),
      },
    },
  );
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
  const secretFiles = calls.flat().filter((a) => a.includes("kairos-secrets-"));
  return {
    ...run,
    secretFiles,
    calls: calls.map((args) =>
      args
        .filter((a) => !a.includes(dir))
        .map((a) => (secretFiles.includes(a) ? "<secrets.json>" : a))
        .join(" "),
    ),
  };
}

describe("npm run deploy", () => {
  it("prints a complete plan on --dry-run and changes nothing", () => {
    const before = readFileSync(join(dir, "wrangler.toml"), "utf8");
    const run = deploy("--dry-run", "--host", "kairos.example.org");
    expect(run.status).toBe(0);
    for (const step of [
      "create D1 database kairos",
      "create queue dead-letters",
      "ENCRYPTION_KEYS",
      "https://kairos.example.org/oauth/calendly/callback",
      "https://kairos.example.org/webhooks/zoom",
    ]) {
      expect(run.stdout).toContain(step);
    }
    expect(
      run.calls.every((c) => /^(whoami|d1 list|kv namespace list|queues list|secret list)/.test(c)),
    ).toBe(true);
    expect(readFileSync(join(dir, "wrangler.toml"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "account.json"))).toBe(false);
  });

  it("creates what is missing in order, writes the ids and host, then a second run creates nothing", () => {
    const first = deploy("--host", "kairos.example.org", "--skip-smoke");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.calls).toEqual([
      "whoami --json",
      "d1 list --json",
      "kv namespace list",
      "queues list",
      "secret list --env production --config --format json",
      "d1 create kairos",
      "kv namespace create kairos-availability-cache",
      "queues create webhook-events",
      "queues create jobs",
      "queues create notifications",
      "queues create dead-letters",
      "queues create email-events",
      "d1 list --json",
      "kv namespace list",
      "secret bulk <secrets.json> --env production --config",
      "vite build --logLevel warn",
      "d1 migrations apply DB --remote --env production --config",
      "deploy --env production --config",
    ]);

    const config = parse(readFileSync(join(dir, "wrangler.toml"), "utf8")) as {
      env: { production: Record<string, unknown> & { vars: Record<string, string> } };
    };
    const prod = config.env.production as {
      routes: unknown;
      vars: Record<string, string>;
      d1_databases: { database_id: string }[];
      kv_namespaces: { id: string }[];
    };
    expect(prod.d1_databases[0]?.database_id).toBe("d1-1");
    expect(prod.kv_namespaces[0]?.id).toBe("kv-1");
    expect(prod.routes).toEqual([{ pattern: "kairos.example.org", custom_domain: true }]);
    expect(prod.vars).toMatchObject({
      APP_URL: "https://kairos.example.org",
      TURNSTILE_SITE_KEY: "ts-site",
      ADMIN_EMAILS: "ops@example.com",
      SANDBOX: "0",
    });
    const account = JSON.parse(readFileSync(join(dir, "account.json"), "utf8"));
    expect(account.lastBulk).toMatchObject({
      CALENDLY_CLIENT_ID: "cal-id",
      TURNSTILE_SECRET_KEY: "ts-secret",
    });
    expect(account.lastBulk.ENCRYPTION_KEYS).toMatch(/^v1:[A-Za-z0-9+/]{43}=$/);
    expect(account.lastBulk.SESSION_SECRET.length).toBeGreaterThanOrEqual(64);
    expect(first.stdout).not.toContain("cal-secret");
    // The secrets file lived only for the upload.
    expect(first.secretFiles.some((f) => existsSync(f))).toBe(false);

    const second = deploy("--host", "kairos.example.org", "--skip-smoke");
    expect(second.status).toBe(0);
    expect(second.calls.filter((c) => / create |^secret bulk/.test(` ${c}`))).toEqual([]);
    expect(second.stdout).toContain("secrets: all set already");
  });

  it("needs no route for a workers.dev host and stops when not logged in", () => {
    const run = deploy("--host", "kairos.ops.workers.dev", "--skip-smoke");
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, "wrangler.toml"), "utf8")).not.toMatch(/\nroutes = /);
    writeFileSync(
      join(dir, "account.json"),
      JSON.stringify({ d1: [], kv: [], queues: [], secrets: [], loggedIn: false }),
    );
    const refused = deploy("--host", "kairos.ops.workers.dev", "--skip-smoke");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("npx wrangler login");
  });
});
