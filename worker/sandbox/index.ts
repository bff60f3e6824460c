/**
 * The sandbox: faithful fakes of Calendly and Zoom for local dev and tests, plus a control page.
 * Mounted at /sandbox only when SANDBOX=1 (worker/index.ts is the one importer).
 */
import { Hono } from "hono";
import { mergeCronTasks } from "../cron";
import type { AppEnv } from "../env";
import { calendlySandbox, calendlySandboxCron } from "./calendly";
import { controlRoutes } from "./control";
import { turnstileSandbox } from "./turnstile";
import { zoomSandbox, zoomSandboxCron } from "./zoom";

export const sandboxRoutes = new Hono<AppEnv>()
  .route("/calendly", calendlySandbox)
  .route("/zoom", zoomSandbox)
  .route("/turnstile", turnstileSandbox)
  .route("/", controlRoutes);

export const sandboxCronTasks = mergeCronTasks(calendlySandboxCron, zoomSandboxCron);
