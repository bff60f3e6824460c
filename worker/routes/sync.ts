/**
 * Reconciliation controls: POST /api/sync ("Sync now"), GET /api/sync-runs (history and progress),
 * PUT /api/sync-settings (how often Kairos checks Calendly, 15 min – 24 h).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { startSync } from "../bookings/start-sync";
import { coaches } from "../db/schema";
import { listSyncRuns } from "../db/sync-runs";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const SyncRun = z
  .object({
    id: z.string(),
    kind: z.enum(["import", "scheduled", "manual"]),
    status: z.enum(["running", "done", "failed"]),
    windowStart: z.string(),
    windowEnd: z.string(),
    pages: z.number().int(),
    recordsSeen: z.number().int(),
    recordsFixed: z.number().int(),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("SyncRun");

const SyncSettings = z
  .object({ intervalMinutes: z.number().int().min(15).max(1440) })
  .openapi("SyncSettings");

const syncNow = createRoute({
  ...coachOnly,
  method: "post",
  path: "/sync",
  tags: ["Sync"],
  summary: "Compare Calendly with Kairos now and repair differences",
  responses: {
    202: json(
      z.object({ runId: z.string(), started: z.boolean() }),
      "Started (or already running)",
    ),
    ...guardedErrors,
  },
});

const runs = createRoute({
  ...coachOnly,
  method: "get",
  path: "/sync-runs",
  tags: ["Sync"],
  summary: "Recent sync runs, newest first",
  responses: {
    200: json(z.object({ items: z.array(SyncRun), intervalMinutes: z.number().int() }), "Runs"),
    ...guardedErrors,
  },
});

const settings = createRoute({
  ...coachOnly,
  method: "put",
  path: "/sync-settings",
  tags: ["Sync"],
  summary: "Set how often Kairos reconciles with Calendly",
  request: { body: { content: { "application/json": { schema: SyncSettings } }, required: true } },
  responses: {
    200: json(SyncSettings, "Saved"),
    400: json(ErrorBody, "Out of range"),
    ...guardedErrors,
  },
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const syncRoutes = apiRoutes()
  .openapi(syncNow, async (c) => c.json(await startSync(c.env, c.var.scope, "manual"), 202))
  .openapi(runs, async (c) => {
    const { db, coachId } = c.var.scope;
    const [items, coach] = await Promise.all([
      listSyncRuns(c.var.scope),
      db.query.coaches.findFirst({ where: eq(coaches.id, coachId) }),
    ]);
    return c.json(
      {
        intervalMinutes: coach?.syncIntervalMinutes ?? 60,
        items: items.map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          windowStart: r.windowStart.toISOString(),
          windowEnd: r.windowEnd.toISOString(),
          pages: r.pages,
          recordsSeen: r.recordsSeen,
          recordsFixed: r.recordsFixed,
          error: r.error,
          startedAt: r.startedAt.toISOString(),
          finishedAt: iso(r.finishedAt),
        })),
      },
      200,
    );
  })
  .openapi(settings, async (c) => {
    const { intervalMinutes } = c.req.valid("json");
    const { db, coachId } = c.var.scope;
    await db
      .update(coaches)
      .set({
        syncIntervalMinutes: intervalMinutes,
        nextSyncAt: new Date(Date.now() + intervalMinutes * 60_000),
      })
      .where(eq(coaches.id, coachId));
    return c.json({ intervalMinutes }, 200);
  });
