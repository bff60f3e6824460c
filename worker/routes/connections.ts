/**
 * GET /api/connections (status, scopes, breaker, last error) and
 * POST /api/connections/calendly/disconnect (see worker/calendly/disconnect.ts for what it does) and
 * POST /api/connections/zoom/disconnect (worker/zoom/disconnect.ts). Zoom is connected through
 * /oauth/zoom/start (worker/routes/oauth-zoom.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { liveConnections } from "../connections/live-status";
import { coachGuard, unwrap } from "../durable-objects/coach-guard";
import { ConnectionList } from "../schemas/coach";
import { guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/",
  tags: ["Account"],
  summary: "The coach's connections: status, scopes, last refresh, breaker state, last error",
  responses: { 200: json(ConnectionList, "Connections"), ...guardedErrors },
});

const disconnect = createRoute({
  ...coachOnly,
  method: "post",
  path: "/calendly/disconnect",
  tags: ["Account"],
  summary:
    "Disconnect Calendly: revoke access, remove webhooks, wipe tokens (data in Kairos is kept)",
  responses: { 200: json(z.object({ ok: z.literal(true) }), "Disconnected"), ...guardedErrors },
});

const disconnectZoom = createRoute({
  ...coachOnly,
  method: "post",
  path: "/zoom/disconnect",
  tags: ["Account"],
  summary:
    "Disconnect Zoom: revoke Kairos's access at Zoom, wipe tokens (meetings and attendance are kept)",
  responses: { 200: json(z.object({ ok: z.literal(true) }), "Disconnected"), ...guardedErrors },
});

export const connectionRoutes = apiRoutes()
  .openapi(list, async (c) => c.json({ items: await liveConnections(c.env, c.var.scope) }, 200))
  .openapi(disconnect, async (c) => {
    const { coachId } = c.var.scope;
    unwrap(await coachGuard(c.env, coachId).disconnectCalendly(coachId));
    return c.json({ ok: true as const }, 200);
  })
  .openapi(disconnectZoom, async (c) => {
    const { coachId } = c.var.scope;
    unwrap(await coachGuard(c.env, coachId).disconnectZoom(coachId));
    return c.json({ ok: true as const }, 200);
  });
