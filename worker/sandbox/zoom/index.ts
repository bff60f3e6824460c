/**
 * The fake Zoom, mounted at /sandbox/zoom: OAuth under /oauth (ZOOM_AUTH_BASE), REST under /v2
 * (ZOOM_API_BASE), webhook deliveries to Kairos's /webhooks/zoom, and a control API.
 */
import { Hono } from "hono";
import { CRONS, type CronTask } from "../../cron";
import type { AppEnv } from "../../env";
import { zoomApi } from "./api";
import { zoomControl } from "./control";
import { zoomOAuth } from "./oauth";
import { ensureZoomSeed } from "./store";
import { retryZoomDeliveries } from "./webhooks";

export const zoomSandbox = new Hono<AppEnv>()
  .use(async (c, next) => {
    await ensureZoomSeed(c.env);
    await next();
  })
  .route("/oauth", zoomOAuth)
  .route("/v2", zoomApi)
  .route("/", zoomControl);

export const zoomSandboxCron: Partial<Record<string, CronTask[]>> = {
  [CRONS.everyFiveMinutes]: [async (env) => retryZoomDeliveries(env)],
};
