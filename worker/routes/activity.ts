/**
 * GET /api/activity: the coach's received webhook events and their processing status.
 * GET /api/feed: a WebSocket to the coach's CoachFeed, which pushes every booking change live.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { requireCoach } from "../auth/login-session";
import { webhookEvents } from "../db/schema";
import { AppError } from "../lib/errors";
import { guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const ActivityItem = z
  .object({
    id: z.string(),
    provider: z.string(),
    event: z.string(),
    status: z.enum(["received", "processed", "failed"]),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .openapi("ActivityItem");

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/activity",
  tags: ["Activity"],
  summary: "The latest webhook events received for this coach",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: json(z.object({ items: z.array(ActivityItem) }), "Newest first"),
    ...guardedErrors,
  },
});

export const activityRoutes = apiRoutes().openapi(list, async (c) => {
  const { db, coachId } = c.var.scope;
  const rows = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.coachId, coachId)))
    .orderBy(desc(webhookEvents.receivedAt))
    .limit(c.req.valid("query").limit);
  const items = rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    event: r.event,
    status: r.status,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
  }));
  return c.json({ items }, 200);
});

activityRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: "/feed",
  tags: ["Activity"],
  summary: "WebSocket: live booking changes for the signed-in coach",
  description:
    'Upgrade with `Upgrade: websocket`. Messages are JSON `{"type":"sessions.changed",…}`.',
  security: [{ sessionCookie: [] }],
  responses: {
    101: { description: "Switching protocols" },
    426: { description: "Not a WebSocket upgrade" },
  },
});
activityRoutes.get("/feed", requireCoach(), async (c) => {
  if (c.req.header("upgrade") !== "websocket") {
    throw new AppError("bad_request", "GET /api/feed expects a WebSocket upgrade.");
  }
  const { coachId } = c.var.scope;
  const upstream = await c.env.COACH_FEED.get(c.env.COACH_FEED.idFromName(coachId)).fetch(
    c.req.raw,
  );
  // A fresh Response: the DO's has immutable headers, and our middleware adds some.
  return new Response(null, { status: upstream.status, webSocket: upstream.webSocket });
});
