/**
 * Worker entry: fetch (Hono app), queue consumers and crons; re-exports the Durable Object classes.
 * This is the only file that imports the sandbox, and serves it only where config-guard.ts allows.
 */
import { env as startupEnv } from "cloudflare:workers";
import { app } from "./app";
import { assertSafeConfig, sandboxRefusal } from "./config-guard";
import { CRONS, type CronTask, mergeCronTasks, runCron } from "./cron";
import { fanOutDueSyncs } from "./cron/due-syncs";
import { fanOutKeyRotation } from "./cron/key-rotation";
import { fanOutStuckBookings } from "./cron/stuck-bookings";
import { fanOutSubscriptionChecks } from "./cron/subscription-health";
import { fanOutTokenRefreshes } from "./cron/token-refresh";
import { sweepStrandedWebhookEvents } from "./cron/webhook-sweep";
import { isSandbox } from "./env";
import { AppError } from "./lib/errors";
import { log } from "./lib/log";
import { consumeQueue } from "./queues";
import { sandboxCronTasks, sandboxRoutes } from "./sandbox";

export type { AppType } from "./app";
export { CoachFeed } from "./durable-objects/coach-feed";
export { CoachGuard } from "./durable-objects/coach-guard";

assertSafeConfig(startupEnv);

app.use("/sandbox/*", async (c, next) => {
  const refusal = sandboxRefusal(c.env, c.req.url);
  if (refusal) {
    // Worth an operator's eye when the sandbox is on but the host is public (a mis-deploy).
    if (refusal !== "sandbox_off")
      log.warn("sandbox.refused", { reason: refusal, host: new URL(c.req.url).host });
    throw new AppError("not_found", "Not found.");
  }
  await next();
});
app.route("/sandbox", sandboxRoutes);

const cronTasks: Partial<Record<string, CronTask[]>> = {
  [CRONS.everyFiveMinutes]: [
    fanOutTokenRefreshes,
    fanOutSubscriptionChecks,
    fanOutDueSyncs,
    fanOutStuckBookings,
    sweepStrandedWebhookEvents,
  ],
  [CRONS.hourly]: [],
  [CRONS.daily]: [fanOutKeyRotation],
};

export default {
  fetch: app.fetch,
  queue: (batch, env, _ctx) => consumeQueue(batch, env),
  async scheduled(controller, env, _ctx) {
    const tasks = isSandbox(env) ? mergeCronTasks(cronTasks, sandboxCronTasks) : cronTasks;
    // Awaited, not waitUntil: a failed task fails the invocation, so it shows in Cron Events.
    await runCron(controller.cron, env, new Date(controller.scheduledTime), tasks);
  },
} satisfies ExportedHandler<Env>;
