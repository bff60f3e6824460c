/**
 * Worker entry: fetch (Hono app), queue consumers and crons; re-exports the Durable Object classes.
 * This is the only file that imports the sandbox, and only mounts it when SANDBOX=1.
 */
import { env as startupEnv } from "cloudflare:workers";
import { app } from "./app";
import { assertSafeConfig } from "./config-guard";
import { CRONS, type CronTask, mergeCronTasks, runCron } from "./cron";
import { fanOutDueSyncs } from "./cron/due-syncs";
import { fanOutKeyRotation } from "./cron/key-rotation";
import { fanOutStuckBookings } from "./cron/stuck-bookings";
import { fanOutSubscriptionChecks } from "./cron/subscription-health";
import { fanOutTokenRefreshes } from "./cron/token-refresh";
import { AppError } from "./lib/errors";
import { consumeQueue } from "./queues";
import { sandboxCronTasks, sandboxRoutes } from "./sandbox";

export type { AppType } from "./app";
export { CoachFeed } from "./durable-objects/coach-feed";
export { CoachGuard } from "./durable-objects/coach-guard";

assertSafeConfig(startupEnv);

app.use("/sandbox/*", async (c, next) => {
  if (c.env.SANDBOX !== "1") throw new AppError("not_found", "Not found.");
  await next();
});
app.route("/sandbox", sandboxRoutes);

const cronTasks: Partial<Record<string, CronTask[]>> = {
  [CRONS.everyFiveMinutes]: [
    fanOutTokenRefreshes,
    fanOutSubscriptionChecks,
    fanOutDueSyncs,
    fanOutStuckBookings,
  ],
  [CRONS.hourly]: [],
  [CRONS.daily]: [fanOutKeyRotation],
};

export default {
  fetch: app.fetch,
  queue: (batch, env, _ctx) => consumeQueue(batch, env),
  async scheduled(controller, env, ctx) {
    const tasks = env.SANDBOX === "1" ? mergeCronTasks(cronTasks, sandboxCronTasks) : cronTasks;
    ctx.waitUntil(runCron(controller.cron, env, new Date(controller.scheduledTime), tasks));
  },
} satisfies ExportedHandler<Env>;
