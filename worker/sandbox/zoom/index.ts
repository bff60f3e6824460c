/** Fake Zoom for local dev and tests; mounted under /sandbox/<provider>. */
import { Hono } from "hono";
import type { CronTask } from "../../cron";
import type { AppEnv } from "../../env";

export const zoomSandbox = new Hono<AppEnv>();
export const zoomSandboxCron: Partial<Record<string, CronTask[]>> = {};
