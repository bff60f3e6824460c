/**
 * GET /api/event-types: the coach's event types, synced from Calendly when stale (a read-through
 * cache, nothing the coach sees changes). POST /api/event-types/refresh: sync from Calendly now —
 * a POST, so no link or image elsewhere can make a coach's browser spend their Calendly budget.
 */
import { createRoute } from "@hono/zod-openapi";
import { syncEventTypes } from "../calendly/sync-event-types";
import { listEventTypes } from "../db/event-types";
import type { CoachScope } from "../env";
import { EventTypeList } from "../schemas/coach";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { EventTypeListWithConferencing } from "../schemas/zoom-meetings";
import { withConferencing } from "../zoom/meetings/conferencing";

import { apiRoutes, coachOnly } from "./factory";

const STALE_AFTER_MS = 10 * 60_000;
const lastSynced = (rows: { updatedAt: Date }[]) =>
  rows.reduce((max, r) => Math.max(max, r.updatedAt.getTime()), 0);

const responses = {
  200: json(EventTypeListWithConferencing, "The event types, each with its video meeting choice"),
  ...guardedErrors,
  502: json(ErrorBody, "Calendly answered with an error"),
  503: json(ErrorBody, "Calendly is unreachable"),
};

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/",
  tags: ["Event types"],
  summary: "List the coach's Calendly event types (synced first when the stored copy is stale)",
  responses,
});

const refresh = createRoute({
  ...coachOnly,
  method: "post",
  path: "/refresh",
  tags: ["Event types"],
  summary: "Sync the event types from Calendly now, then list them",
  responses,
});

async function eventTypes(env: Env, scope: CoachScope, force: boolean) {
  let rows = await listEventTypes(scope);
  if (force || rows.length === 0 || Date.now() - lastSynced(rows) > STALE_AFTER_MS) {
    await syncEventTypes(env, scope);
    rows = await listEventTypes(scope);
  }
  // The response schema strips D1-only columns (coach id, timestamps, position).
  const items = await withConferencing(scope, EventTypeList.shape.items.parse(rows));
  const latest = lastSynced(rows);
  return { items, syncedAt: latest ? new Date(latest).toISOString() : null };
}

export const eventTypeRoutes = apiRoutes()
  .openapi(list, async (c) => c.json(await eventTypes(c.env, c.var.scope, false), 200))
  .openapi(refresh, async (c) => c.json(await eventTypes(c.env, c.var.scope, true), 200));
