/**
 * The fake Calendly, mounted at /sandbox/calendly: OAuth under /oauth, API v2 at the root (so
 * CALENDLY_API_BASE = …/sandbox/calendly), plus the control API. Seeds itself on first use. Injected
 * faults (faults.ts) touch the API only, never /oauth or the control routes.
 */
import { Hono } from "hono";
import { CRONS, type CronTask } from "../../cron";
import type { AppEnv } from "../../env";
import { bearerUser, type SandboxApiEnv } from "./api-auth";
import { calendlyOrganizations } from "./api-org";
import { calendlyRead } from "./api-read";
import { calendlyWrite } from "./api-write";
import { calendlyControl } from "./control";
import { calendlyPlanControl } from "./control-plans";
import { eventTypeControl } from "./event-type-control";
import { injectFaults } from "./faults";
import { calendlyOAuth } from "./oauth";
import { personalTokenControl } from "./personal-tokens";
import { calendlyScopeControl } from "./scope-control";
import { ensureCalendlySeed } from "./seed";
import { retryDueDeliveries } from "./webhooks";

export const calendlySandbox = new Hono<AppEnv>()
  .use(async (c, next) => {
    await ensureCalendlySeed(c.env);
    await next();
  })
  .route("/oauth", calendlyOAuth)
  .route("/", calendlyControl)
  .route("/", eventTypeControl)
  .route("/", personalTokenControl)
  .route("/", calendlyScopeControl)
  .route("/", calendlyPlanControl)
  .route(
    "/",
    new Hono<SandboxApiEnv>()
      .use(injectFaults())
      .use(bearerUser())
      .route("/", calendlyRead)
      .route("/", calendlyOrganizations)
      .route("/", calendlyWrite),
  );

export const calendlySandboxCron: Partial<Record<string, CronTask[]>> = {
  [CRONS.everyFiveMinutes]: [async (env) => retryDueDeliveries(env)],
};
