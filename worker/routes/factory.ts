/**
 * Route helpers, so every documented route gets the same validation hook, and every private one the
 * same session guard (per route, so a sub-app mounted at "/" never guards its neighbours).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requireCoach } from "../auth/login-session";
import type { AppEnv } from "../env";
import { rejectInvalid } from "../lib/validation";

export const apiRoutes = () => new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalid });

/** Spread into `createRoute({...})`: requires a session and documents the cookie. */
export const coachOnly = {
  middleware: requireCoach(),
  security: [{ sessionCookie: [] }],
};
