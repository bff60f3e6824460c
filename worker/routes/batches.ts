/**
 * POST /api/batches (cancel or mark no-show for many sessions, or cancel a whole day) and
 * GET /api/batches/{id} (progress and a result per session).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { BATCH_ACTIONS } from "../db/schema";
import { AppError } from "../lib/errors";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { getBatch, sessionsOfDay, startBatch } from "../sessions/batches";
import { apiRoutes, coachOnly } from "./factory";

const StartBatch = z
  .object({
    action: z.enum(BATCH_ACTIONS),
    sessionIds: z.array(z.string().min(1).max(64)).min(1).max(200).optional(),
    day: z.iso
      .date()
      .optional()
      .openapi({ description: "Emergency day off: every session of this day (coach's time zone)" }),
    reason: z.string().trim().max(10_000).optional(),
  })
  .refine((b) => Boolean(b.sessionIds) !== Boolean(b.day), {
    message: "Give either sessionIds or day.",
    path: ["sessionIds"],
  })
  .refine((b) => b.action !== "cancel" || Boolean(b.reason), {
    message: "Please give a reason for canceling.",
    path: ["reason"],
  })
  .openapi("StartBatch");

const BatchView = z
  .object({
    id: z.string(),
    action: z.enum(BATCH_ACTIONS),
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    finished: z.boolean(),
    items: z.array(
      z.object({
        sessionId: z.string(),
        status: z.enum(["pending", "done", "failed"]),
        message: z.string().nullable(),
      }),
    ),
  })
  .openapi("Batch");

const start = createRoute({
  ...coachOnly,
  method: "post",
  path: "/",
  tags: ["Sessions"],
  summary: "Start a batch action; it runs in the background (poll GET /api/batches/{id})",
  request: { body: { content: { "application/json": { schema: StartBatch } } } },
  responses: {
    202: json(z.object({ id: z.string(), total: z.number().int() }), "Started"),
    400: json(ErrorBody, "Invalid request"),
    404: json(ErrorBody, "A session is not the coach's"),
    ...guardedErrors,
  },
});

const one = createRoute({
  ...coachOnly,
  method: "get",
  path: "/{id}",
  tags: ["Sessions"],
  summary: "A batch's progress and per-session results",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: json(BatchView, "The batch"),
    404: json(ErrorBody, "No such batch"),
    ...guardedErrors,
  },
});

export const batchRoutes = apiRoutes()
  .openapi(start, async (c) => {
    const body = c.req.valid("json");
    const sessionIds = body.day
      ? await sessionsOfDay(c.var.scope, body.day)
      : (body.sessionIds ?? []);
    if (sessionIds.length === 0) {
      throw new AppError("validation_failed", "There are no upcoming sessions on that day.", {
        details: [{ field: "day", message: "No upcoming sessions on that day." }],
      });
    }
    const id = await startBatch(c.env, c.var.scope, { ...body, sessionIds });
    return c.json({ id, total: sessionIds.length }, 202);
  })
  .openapi(one, async (c) => {
    const { batch, items } = await getBatch(c.var.scope, c.req.valid("param").id);
    return c.json(
      {
        id: batch.id,
        action: batch.action,
        total: batch.total,
        succeeded: batch.succeeded,
        failed: batch.failed,
        finished: batch.finishedAt !== null,
        items: items.map((i) => ({ sessionId: i.sessionId, status: i.status, message: i.message })),
      },
      200,
    );
  });
