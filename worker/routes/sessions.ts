/**
 * The coach's own sessions: GET /api/sessions (cursor pages, filters), GET /api/sessions/{id}, and
 * the actions that write to Calendly: cancel with a reason, mark / unmark a no-show.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { sessionHistory } from "../db/session-history";
import { getSession, listSessions } from "../db/sessions";
import { AppError } from "../lib/errors";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { Session, SessionPage, SessionQuery } from "../schemas/sessions";
import { cancelSession, setNoShow } from "../sessions/actions";
import { withZoom } from "../zoom/meetings/summary";
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

const id = z.string().min(1).max(64);
const actionErrors = {
  404: json(ErrorBody, "No such session (or invitee) for this coach"),
  409: json(ErrorBody, "Not possible in the session's current state"),
  ...guardedErrors,
} as const;

const cancel = createRoute({
  ...coachOnly,
  method: "post",
  path: "/{id}/cancel",
  tags: ["Sessions"],
  summary: "Cancel a session in Calendly, with a reason the client sees",
  request: {
    params: z.object({ id }),
    body: {
      content: {
        "application/json": {
          schema: z.object({
            reason: z.string().trim().min(1, "Please give a reason.").max(10_000),
          }),
        },
      },
    },
  },
  responses: { 200: json(Session, "The canceled session"), ...actionErrors },
});

const noShow = createRoute({
  ...coachOnly,
  method: "put",
  path: "/{id}/invitees/{inviteeId}/no-show",
  tags: ["Sessions"],
  summary: "Mark (or clear) an invitee as a no-show, in Calendly too",
  request: {
    params: z.object({ id, inviteeId: id }),
    body: { content: { "application/json": { schema: z.object({ noShow: z.boolean() }) } } },
  },
  responses: { 200: json(Session, "The session"), ...actionErrors },
});

const history = createRoute({
  ...coachOnly,
  method: "get",
  path: "/{id}/history",
  tags: ["Sessions"],
  summary: "What happened to a session (from Calendly and the coach), and the client's answers",
  request: { params: z.object({ id }) },
  responses: {
    200: json(
      z.object({
        entries: z.array(
          z.object({
            at: z.string(),
            what: z.string(),
            by: z.enum(["calendly", "coach"]),
            note: z.string().nullable(),
          }),
        ),
        answers: z.array(
          z.object({ inviteeId: z.string(), question: z.string(), answer: z.string() }),
        ),
      }),
      "History",
    ),
    404: json(ErrorBody, "No such session for this coach"),
    ...guardedErrors,
  },
});

async function sessionOrThrow(scope: Parameters<typeof getSession>[0], sessionId: string) {
  const session = await getSession(scope, sessionId);
  if (!session) throw new AppError("not_found", "Session not found.");
  const [withMeeting] = await withZoom(scope, [session]);
  return withMeeting as NonNullable<typeof withMeeting>;
}

export const sessionRoutes = apiRoutes()
  .openapi(list, async (c) => {
    const page = await listSessions(c.var.scope, c.req.valid("query"));
    return c.json({ ...page, items: await withZoom(c.var.scope, page.items) }, 200);
  })
  .openapi(one, async (c) => {
    return c.json(await sessionOrThrow(c.var.scope, c.req.valid("param").id), 200);
  })
  .openapi(history, async (c) => {
    const sessionId = c.req.valid("param").id;
    await sessionOrThrow(c.var.scope, sessionId);
    return c.json(await sessionHistory(c.var.scope, sessionId), 200);
  })
  .openapi(cancel, async (c) => {
    const sessionId = c.req.valid("param").id;
    await cancelSession(c.env, c.var.scope, sessionId, c.req.valid("json").reason);
    return c.json(await sessionOrThrow(c.var.scope, sessionId), 200);
  })
  .openapi(noShow, async (c) => {
    const { id: sessionId, inviteeId } = c.req.valid("param");
    await setNoShow(c.env, c.var.scope, sessionId, inviteeId, c.req.valid("json").noShow);
    return c.json(await sessionOrThrow(c.var.scope, sessionId), 200);
  });
