/**
 * POST /api/batches (cancel or mark no-show for many sessions, cancel a whole day, or export a
 * selection), GET /api/batches/{id} (progress and a result per session) and, for a finished export,
 * GET /api/batches/{id}/sessions.csv|ics (the selected sessions, formatted as /api/exports does).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCoach } from "../db/coaches";
import { BATCH_ACTIONS } from "../db/schema";
import type { AppEnv } from "../env";
import { sessionsCsv } from "../exports/csv";
import { sessionsIcs } from "../exports/ics";
import { exportSessions } from "../exports/sessions";
import { AppError } from "../lib/errors";
import { isTimeZone } from "../lib/validation";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { getBatch, sessionsOfDay, startBatch } from "../sessions/batches";
import { attachment, CSV, download, ICS } from "./exports";
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
        name: z
          .string()
          .nullable()
          .openapi({ description: "The session's event name (null if it is gone)" }),
        startTime: z
          .string()
          .nullable()
          .openapi({ description: "The session's start (ISO, UTC; null if it is gone)" }),
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

const BatchId = z.object({ id: z.string().min(1).max(64) });

// Generic in the path: a plain `string` would type every /api/batches/… route as this one.
const selectionDownload = <P extends string>(path: P, mediaType: string, summary: string) =>
  createRoute({
    ...coachOnly,
    method: "get",
    path,
    tags: ["Exports"],
    summary,
    description:
      "The sessions of a finished export batch, oldest first, in the format of the matching " +
      "/api/exports download.",
    request: { params: BatchId },
    responses: {
      200: download(mediaType, "The file, as an attachment"),
      400: json(ErrorBody, "The batch is not an export"),
      404: json(ErrorBody, "No such batch"),
      409: json(ErrorBody, "The export is still running"),
      ...guardedErrors,
    },
  });

const selectionCsv = selectionDownload(
  "/{id}/sessions.csv",
  CSV,
  "An export batch's sessions as CSV, one row per session",
);
const selectionIcs = selectionDownload(
  "/{id}/sessions.ics",
  ICS,
  "An export batch's sessions as one iCalendar file, one VEVENT per session",
);

/** The selected sessions of a finished export batch of the coach's, and the file name's date. */
async function selection(c: Context<AppEnv>, batchId: string) {
  const scope = c.var.scope;
  const { batch, items } = await getBatch(scope, batchId);
  if (batch.action !== "export") {
    throw new AppError("bad_request", "This batch is not an export: there is nothing to download.");
  }
  if (!batch.finishedAt) {
    throw new AppError(
      "conflict",
      "The export is still running. Download it once every session is done.",
    );
  }
  const list = await exportSessions(scope, { ids: items.map((i) => i.sessionId) });
  const coach = await getCoach(scope.db, scope.coachId);
  const timeZone = coach && isTimeZone(coach.timeZone) ? coach.timeZone : "UTC";
  const day = new Intl.DateTimeFormat("en-CA", { timeZone }).format(batch.finishedAt);
  return { list, name: `kairos-sessions-selection-${day}` };
}

export const batchRoutes = apiRoutes()
  .openapi(start, async (c) => {
    const body = c.req.valid("json");
    if (body.action === "export" && body.day) {
      throw new AppError(
        "validation_failed",
        "An export takes the selected sessions (sessionIds), not a day.",
        { details: [{ field: "day", message: "Not allowed with action export." }] },
      );
    }
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
        items: items.map((i) => ({
          sessionId: i.sessionId,
          status: i.status,
          message: i.message,
          name: i.name,
          startTime: i.startsAt?.toISOString() ?? null,
        })),
      },
      200,
    );
  })
  .openapi(selectionCsv, async (c) => {
    const { list, name } = await selection(c, c.req.valid("param").id);
    return attachment(c, sessionsCsv(list), CSV, `${name}.csv`);
  })
  .openapi(selectionIcs, async (c) => {
    const { list, name } = await selection(c, c.req.valid("param").id);
    return attachment(c, sessionsIcs(list, "Kairos sessions (selection)"), ICS, `${name}.ics`);
  });
