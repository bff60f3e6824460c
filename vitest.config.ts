/**
 * `npm test` runs four suites: worker (inside workerd, real D1/KV/DO/queues, migrations applied,
 * MSW for outbound HTTP), web (happy-dom + Testing Library), tools (the Node scripts: deploy,
 * configuration list) and e2e (real Chromium against `wrangler dev` in sandbox mode).
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import preact from "@preact/preset-vite";
import { defineConfig } from "vitest/config";

/** Tests reach the app (and its sandbox) at this origin; MSW routes it back into the worker. */
export const TEST_ORIGIN = "http://kairos.test";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  APP_URL: TEST_ORIGIN,
                  CALENDLY_AUTH_BASE: `${TEST_ORIGIN}/sandbox/calendly`,
                  CALENDLY_API_BASE: `${TEST_ORIGIN}/sandbox/calendly`,
                  ZOOM_AUTH_BASE: `${TEST_ORIGIN}/sandbox/zoom`,
                  ZOOM_API_BASE: `${TEST_ORIGIN}/sandbox/zoom/v2`,
                  CALENDLY_CLIENT_ID: "kairos-sandbox-client",
                  CALENDLY_CLIENT_SECRET: "kairos-sandbox-client-secret",
                  CALENDLY_WEBHOOK_SIGNING_KEY: "kairos_sandbox_calendly_signing_key",
                  ZOOM_CLIENT_ID: "kairos-sandbox-zoom-client",
                  ZOOM_CLIENT_SECRET: "kairos-sandbox-zoom-secret",
                  ZOOM_WEBHOOK_SECRET_TOKEN: "kairos_sandbox_zoom_secret_token",
                  // Two keys, newest first: tests can write "old" ciphertext and watch it rotate.
                  ENCRYPTION_KEYS:
                    "v2:a2Fpcm9zLXRlc3Qtcm90YXRlZC1rZXktMDAwMDAwMiE=,v1:a2Fpcm9zLXNhbmRib3gtZW5jcnlwdGlvbi1rZXktMDE=",
                  SESSION_SECRET: "kairos-test-session-secret",
                  TURNSTILE_SECRET_KEY: "1x0000000000000000000000000000000AA",
                },
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/worker/**/*.test.ts"],
            // Correctness, not speed (benchmarks measure that): a loaded CI machine must not fail
            // a test that makes a hundred upstream calls through Durable Objects.
            testTimeout: 30_000,
            setupFiles: ["./test/worker/setup.ts"],
          },
        },
        {
          plugins: [preact()],
          test: {
            name: "web",
            testTimeout: 15_000,
            include: ["test/web/**/*.test.{ts,tsx}"],
            environment: "happy-dom",
            setupFiles: ["./test/web/setup.ts"],
          },
        },
        {
          test: {
            // The project's own Node scripts (deploy, configuration list), run as a user runs them.
            name: "tools",
            include: ["test/tools/**/*.test.ts"],
            environment: "node",
            testTimeout: 30_000,
          },
        },
        {
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            globalSetup: ["./test/e2e/require-chromium.ts"],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 180_000,
            fileParallelism: false,
            // After the worker and web suites: a browser against `wrangler dev` competing with
            // dozens of workerd test isolates for the CPU makes timing-sensitive steps flaky.
            sequence: { groupOrder: 1 },
          },
        },
      ],
    },
  };
});
