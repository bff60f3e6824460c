/** GET /api/sessions (cursor pages, filters) and GET /api/sessions/{id}: the coach's own sessions. */
import { createRoute, z } from "@hono/zod-openapi";
import { getSession, listSessions } from "../db/sessions";
import { AppError } from "../lib/errors";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { Session, SessionPage, SessionQuery } from "../schemas/sessions";
import { apiRoutes, coachOnly } from "./factory";

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/",
  tags: ["Sessions"],
  summary: "List sessions, oldest first, a page at a time",
  request: { query: SessionQuery },
  responses: {
    200: json(SessionPage, "A page of sessions"),
    400: json(ErrorBody, "Invalid filters"),
    ...guardedErrors,
  },
});

const one = createRoute({
  ...coachOnly,
  method: "get",
  path: "/{id}",
  tags: ["Sessions"],
  summary: "One session with its invitees",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: json(Session, "The session"),
    404: json(ErrorBody, "No such session for this coach"),
    ...guardedErrors,
  },
});

export const sessionRoutes = apiRoutes()
  .openapi(list, async (c) => c.json(await listSessions(c.var.scope, c.req.valid("query")), 200))
  .openapi(one, async (c) => {
    const session = await getSession(c.var.scope, c.req.valid("param").id);
    if (!session) throw new AppError("not_found", "Session not found.");
    return c.json(session, 200);
  });
