/** Fake Calendly for local dev and tests; mounted under /sandbox/<provider>. */
import { Hono } from "hono";
import type { CronTask } from "../../cron";
import type { AppEnv } from "../../env";

export const calendlySandbox = new Hono<AppEnv>();
export const calendlySandboxCron: Partial<Record<string, CronTask[]>> = {};
