/**
 * Everything the Worker's events run, loaded by index.ts on the first event rather than at isolate
 * startup: the Hono app (every route's zod/OpenAPI schemas), the queue consumers and the crons.
 * Building them is most of the startup cost (docs/scaling.md, "Startup"); deferring it keeps
 * `wrangler check startup` under its 40 ms goal, and an isolate only pays it once, on its first
 * event. This is the only file that imports the sandbox, and serves it only where config-guard.ts
 * allows. The production build (`--env production`) leaves the sandbox out entirely: wrangler.toml
 * defines KAIROS_BUILD_WITHOUT_SANDBOX there, esbuild drops the dead `import()` below, and the fake
 * Calendly/Zoom never ship (test/tools/bundle.test.ts greps the bundle). Every other build (dev,
 * tests) leaves the name undefined and loads the sandbox.
 */
import type { MiddlewareHandler } from "hono";
import { app } from "./app";
import { isSandbox, sandboxRefusal } from "./config-guard";
import { CRONS, type CronTask, mergeCronTasks, runCron } from "./cron";
import { fanOutDueSyncs } from "./cron/due-syncs";
import { fanOutKeyRotation } from "./cron/key-rotation";
import { fanOutStuckBookings } from "./cron/stuck-bookings";
import { fanOutSubscriptionChecks } from "./cron/subscription-health";
import { fanOutTokenRefreshes } from "./cron/token-refresh";
import { sweepStrandedWebhookEvents } from "./cron/webhook-sweep";
import type { AppEnv } from "./env";
import { AppError } from "./lib/errors";
import { log } from "./lib/log";
import { claimDueNotifications } from "./notifications/due-scan";
import { consumeQueue } from "./queues";
import { sweepUndispatchedDomainEvents } from "./reactions/dispatch";
import { devMailboxRoutes } from "./routes/dev-mailbox";
import { fanOutDueAttendanceReports, fanOutDueAutoConfirms } from "./zoom/attendance/due-scans";

declare const KAIROS_BUILD_WITHOUT_SANDBOX: boolean | undefined;
// The test must stay inline (not a named const) so esbuild can fold it and drop the import.
const sandbox =
  typeof KAIROS_BUILD_WITHOUT_SANDBOX !== "undefined" && KAIROS_BUILD_WITHOUT_SANDBOX
    ? undefined
    : await import("./sandbox");

// The fakes (/sandbox) and local developer tools (/dev) exist only where config-guard.ts allows;
// anywhere else they are 404, never the SPA's index.html (both are in run_worker_first).
const localOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const refusal = sandboxRefusal(c.env, c.req.url);
  if (refusal) {
    // Worth an operator's eye when the sandbox is on but the host is public (a mis-deploy).
    if (refusal !== "sandbox_off")
      log.warn("sandbox.refused", { reason: refusal, host: new URL(c.req.url).host });
    throw new AppError("not_found", "Not found.");
  }
  await next();
};
app.use("/sandbox/*", localOnly);
app.use("/dev/*", localOnly);
if (sandbox) app.route("/sandbox", sandbox.sandboxRoutes);
app.route("/dev", devMailboxRoutes);

const cronTasks: Partial<Record<string, CronTask[]>> = {
  [CRONS.everyFiveMinutes]: [
    fanOutTokenRefreshes,
    fanOutDueSyncs,
    fanOutStuckBookings,
    sweepStrandedWebhookEvents,
    sweepUndispatchedDomainEvents,
    claimDueNotifications,
    fanOutDueAttendanceReports,
    fanOutDueAutoConfirms,
  ],
  // Hourly, not every 5 minutes: one Calendly call per coach, and a gap it finds is repaired by
  // reconcile anyway (288 calls a coach a day became 24).
  [CRONS.hourly]: [fanOutSubscriptionChecks],
  [CRONS.daily]: [fanOutKeyRotation],
};

export const handlers = {
  fetch: app.fetch,
  queue: (batch, env, _ctx) => consumeQueue(batch, env),
  async scheduled(controller, env, _ctx) {
    const tasks =
      sandbox && isSandbox(env) ? mergeCronTasks(cronTasks, sandbox.sandboxCronTasks) : cronTasks;
    // Awaited, not waitUntil: a failed task fails the invocation, so it shows in Cron Events.
    await runCron(controller.cron, env, new Date(controller.scheduledTime), tasks);
  },
} satisfies ExportedHandler<Env>;
