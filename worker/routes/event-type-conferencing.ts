/**
 * Per event type, whether new bookings get a Zoom meeting and how its room is set up:
 * GET and PUT /api/event-types/{id}/conferencing (GET /api/event-types carries it too).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { Conferencing, ConferencingInput } from "../schemas/zoom-meetings";
import { conferencingOf, setConferencing } from "../zoom/meetings/conferencing";
import { apiRoutes, coachOnly } from "./factory";

const params = z.object({ id: z.string().min(1).max(64) });

const one = createRoute({
  ...coachOnly,
  method: "get",
  path: "/{id}/conferencing",
  tags: ["Event types"],
  summary: "The event type's conferencing choice",
  request: { params },
  responses: {
    200: json(Conferencing, "The choice (none, with the room defaults, until set)"),
    404: json(ErrorBody, "No such event type for this coach"),
    ...guardedErrors,
  },
});

const put = createRoute({
  ...coachOnly,
  method: "put",
  path: "/{id}/conferencing",
  tags: ["Event types"],
  summary: "Give new bookings of this event type a Zoom meeting (or none)",
  request: {
    params,
    body: { content: { "application/json": { schema: ConferencingInput } }, required: true },
  },
  responses: {
    200: json(Conferencing, "The saved choice"),
    400: json(ErrorBody, "Invalid settings (e.g. join before host with a waiting room)"),
    404: json(ErrorBody, "No such event type for this coach"),
    409: json(ErrorBody, "Zoom is not connected"),
    ...guardedErrors,
  },
});

export const conferencingRoutes = apiRoutes()
  .openapi(one, async (c) =>
    c.json(await conferencingOf(c.var.scope, c.req.valid("param").id), 200),
  )
  .openapi(put, async (c) => {
    const view = await setConferencing(c.var.scope, c.req.valid("param").id, c.req.valid("json"));
    return c.json(view, 200);
  });
