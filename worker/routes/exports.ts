/**
 * Downloads of the signed-in coach's data (mounted at /api/exports):
 * sessions.csv, invitees.csv and sessions.ics (same filters as GET /api/sessions, every matching
 * row), sessions/{id}.ics (one session) and account.json (everything Kairos holds about the coach).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { AccountExport, accountExport } from "../exports/account";
import { inviteesCsv, sessionsCsv } from "../exports/csv";
import { sessionsIcs } from "../exports/ics";
import { exportSession, exportSessions } from "../exports/sessions";
import { AppError } from "../lib/errors";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { SessionQuery } from "../schemas/sessions";
import { apiRoutes, coachOnly } from "./factory";

const ExportQuery = SessionQuery.omit({ limit: true, cursor: true });

export const CSV = "text/csv; charset=utf-8";
export const ICS = "text/calendar; charset=utf-8";

/** An OpenAPI response for a file download of this media type. */
export const download = (mediaType: string, description: string) => ({
  content: { [mediaType.split(";")[0] as string]: { schema: z.string() } },
  description,
});

const filteredDownload = <P extends string>(path: P, mediaType: string, summary: string) =>
  createRoute({
    ...coachOnly,
    method: "get",
    path,
    tags: ["Exports"],
    summary,
    description:
      "Takes the filters of GET /api/sessions (not limit/cursor): every match is included.",
    request: { query: ExportQuery },
    responses: {
      200: download(mediaType, "The file, as an attachment"),
      400: json(ErrorBody, "Invalid filters"),
      ...guardedErrors,
    },
  });

const sessionsCsvRoute = filteredDownload(
  "/sessions.csv",
  CSV,
  "Sessions as CSV, one row per session",
);
const inviteesCsvRoute = filteredDownload(
  "/invitees.csv",
  CSV,
  "Invitees as CSV, one row per invitee of the matching sessions",
);
const sessionsIcsRoute = filteredDownload(
  "/sessions.ics",
  ICS,
  "Sessions as one iCalendar file, one VEVENT per session",
);

const SessionId = z.string().min(1).max(64);

/** Documented here; served by a plain handler below (Hono cannot route "{id}.ics" by itself). */
const oneIcsRoute = createRoute({
  ...coachOnly,
  method: "get",
  path: "/sessions/{id}.ics",
  tags: ["Exports"],
  summary: "One session as an iCalendar file",
  request: { params: z.object({ id: SessionId }) },
  responses: {
    200: download(ICS, "The session, as an attachment"),
    404: json(ErrorBody, "No such session for this coach"),
    ...guardedErrors,
  },
});

const accountRoute = createRoute({
  ...coachOnly,
  method: "get",
  path: "/account.json",
  tags: ["Exports"],
  summary: "Everything Kairos holds about the coach",
  description:
    "Profile, connections (never their tokens), webhook subscriptions (never their signing keys), " +
    "event types, sessions with invitees, widget bookings, sync runs, audit log, webhook events " +
    "received (event, status, time; not their payloads) and sign-in times.",
  responses: {
    200: {
      ...json(AccountExport, "The coach's data, as an attachment"),
      headers: z.object({ "Content-Disposition": z.string() }),
    },
    ...guardedErrors,
  },
});

/** A private, uncached download named `filename`. */
export function attachment(
  c: Context<AppEnv>,
  body: string,
  contentType: string,
  filename: string,
) {
  return c.body(body, 200, {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${filename}"`,
    "Cache-Control": "private, no-store",
  });
}

export const exportRoutes = apiRoutes()
  .openapi(sessionsCsvRoute, async (c) => {
    const list = await exportSessions(c.var.scope, c.req.valid("query"));
    return attachment(c, sessionsCsv(list), CSV, "sessions.csv");
  })
  .openapi(inviteesCsvRoute, async (c) => {
    const list = await exportSessions(c.var.scope, c.req.valid("query"));
    return attachment(c, inviteesCsv(list), CSV, "invitees.csv");
  })
  .openapi(sessionsIcsRoute, async (c) => {
    const list = await exportSessions(c.var.scope, c.req.valid("query"));
    return attachment(c, sessionsIcs(list), ICS, "sessions.ics");
  })
  .openapi(accountRoute, async (c) => {
    const data = await accountExport(c.var.scope);
    if (!data) throw new AppError("not_found", "Coach not found.");
    c.header("Content-Disposition", 'attachment; filename="account.json"');
    c.header("Cache-Control", "private, no-store");
    return c.json(data, 200);
  });

exportRoutes.openAPIRegistry.registerPath(oneIcsRoute);
exportRoutes.get("/sessions/:file{[^/]+\\.ics}", coachOnly.middleware, async (c) => {
  const id = SessionId.safeParse(c.req.param("file").slice(0, -".ics".length));
  const session = id.success ? await exportSession(c.var.scope, id.data) : undefined;
  if (!session) throw new AppError("not_found", "Session not found.");
  return attachment(c, sessionsIcs([session], session.name), ICS, `${session.id}.ics`);
});
