/** POST /api/connections/calendly/disconnect — see worker/calendly/disconnect.ts for what it does. */
import { createRoute, z } from "@hono/zod-openapi";
import { disconnectCalendly } from "../calendly/disconnect";
import { guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const disconnect = createRoute({
  ...coachOnly,
  method: "post",
  path: "/calendly/disconnect",
  tags: ["Account"],
  summary:
    "Disconnect Calendly: revoke access, remove webhooks, wipe tokens (data in Kairos is kept)",
  responses: { 200: json(z.object({ ok: z.literal(true) }), "Disconnected"), ...guardedErrors },
});

export const connectionRoutes = apiRoutes().openapi(disconnect, async (c) => {
  await disconnectCalendly(c.env, c.var.scope);
  return c.json({ ok: true as const }, 200);
});
