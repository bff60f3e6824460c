/** GET /api/event-types: the coach's event types, synced from Calendly when stale or on request. */
import { createRoute, z } from "@hono/zod-openapi";
import { syncEventTypes } from "../calendly/sync-event-types";
import { listEventTypes } from "../db/event-types";
import { EventTypeList } from "../schemas/coach";
import { ErrorBody, guardedErrors, json } from "../schemas/common";

import { apiRoutes, coachOnly } from "./factory";

const STALE_AFTER_MS = 10 * 60_000;
const lastSynced = (rows: { updatedAt: Date }[]) =>
  rows.reduce((max, r) => Math.max(max, r.updatedAt.getTime()), 0);

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/",
  tags: ["Event types"],
  summary: "List the coach's Calendly event types",
  request: {
    query: z.object({
      refresh: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "Fetch from Calendly even if the stored copy is fresh" }),
    }),
  },
  responses: {
    200: json(EventTypeList, "The event types"),
    ...guardedErrors,
    502: json(ErrorBody, "Calendly answered with an error"),
    503: json(ErrorBody, "Calendly is unreachable"),
  },
});

export const eventTypeRoutes = apiRoutes().openapi(list, async (c) => {
  const scope = c.var.scope;
  let rows = await listEventTypes(scope);
  const syncedAt = rows.reduce((max, r) => Math.max(max, r.updatedAt.getTime()), 0);
  if (
    c.req.valid("query").refresh === "true" ||
    rows.length === 0 ||
    Date.now() - syncedAt > STALE_AFTER_MS
  ) {
    await syncEventTypes(c.env, scope);
    rows = await listEventTypes(scope);
  }
  // The response schema strips D1-only columns (coach id, timestamps, position).
  const items = EventTypeList.shape.items.parse(rows);
  const latest = lastSynced(rows);
  return c.json({ items, syncedAt: latest ? new Date(latest).toISOString() : null }, 200);
});
