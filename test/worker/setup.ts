/**
 * Worker-suite setup: apply the real migrations, and route outbound HTTP through MSW. Requests to the
 * test origin go back into the worker (so the sandbox serves Calendly/Zoom); anything else fails.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const TEST_ORIGIN = "http://kairos.test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

export const server = setupServer(
  http.all(`${TEST_ORIGIN}/*`, ({ request }) => exports.default.fetch(request as Request)),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
