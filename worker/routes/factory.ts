/** Sub-app factories, so every documented route gets the same validation hook and guard. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requireCoach } from "../auth/login-session";
import type { AppEnv } from "../env";
import { rejectInvalid } from "../lib/validation";

export const publicApi = () => new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalid });

/** Every route on this sub-app requires a session and gets `c.var.scope`. */
export function coachApi() {
  const app = publicApi();
  app.use(requireCoach());
  return app;
}
