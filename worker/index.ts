/**
 * Worker entry: fetch (Hono app), queue consumers and crons; re-exports the Durable Object classes.
 * Isolate startup only checks the configuration; the handlers themselves (./entry.ts: the app with
 * every route's schemas, the consumers, the crons) are built on the first event, so startup stays
 * within its 40 ms goal (docs/scaling.md, "Startup"; scripts/bench-startup.mjs measures it).
 * esbuild turns the dynamic import into a lazily evaluated part of the one bundle, not a fetch.
 */
import { env as startupEnv } from "cloudflare:workers";
import { assertSafeConfig, isSandbox } from "./config-guard";

export type { AppType } from "./app";
export { CoachFeed } from "./durable-objects/coach-feed";
export { CoachGuard } from "./durable-objects/coach-guard-object";

assertSafeConfig(startupEnv);

declare const KAIROS_BUILD_WITHOUT_SANDBOX: boolean | undefined;
// A public demo on the production build would point Calendly at a /sandbox that isn't there.
if (
  typeof KAIROS_BUILD_WITHOUT_SANDBOX !== "undefined" &&
  KAIROS_BUILD_WITHOUT_SANDBOX &&
  isSandbox(startupEnv)
)
  throw new Error(
    "SANDBOX=1, but this is the production build, which leaves the sandbox out: refusing to start.",
  );

let entry: Promise<typeof import("./entry")> | undefined;
const handlers = async () => (await (entry ??= import("./entry"))).handlers;

export default {
  // A plain Request (not the incoming-only type), so tests and tools can call it directly.
  fetch: async (request: Request, env: Env, ctx: ExecutionContext) =>
    (await handlers()).fetch(request, env, ctx),
  queue: async (batch, env, ctx) => (await handlers()).queue(batch, env, ctx),
  scheduled: async (controller, env, ctx) => (await handlers()).scheduled(controller, env, ctx),
  // Mail to u+{token}@ (List-Unsubscribe's mailto) through Email Routing: unsubscribe, nothing kept.
  email: async (message, env) =>
    (await import("./notifications/preferences/email-handler")).handleInboundEmail(message, env),
} satisfies ExportedHandler<Env>;
