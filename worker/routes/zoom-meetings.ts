/**
 * A session's Zoom meeting: POST /api/sessions/{id}/zoom/retry and /zoom/recreate. The meeting
 * itself shows as `zoom` on GET /api/sessions and /api/sessions/{id} (worker/routes/sessions.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { SessionZoom } from "../schemas/zoom-meetings";
import { recreateZoomMeeting, retryZoomMeeting } from "../zoom/meetings/actions";
import { apiRoutes, coachOnly } from "./factory";

const params = z.object({ id: z.string().min(1).max(64) });
const responses = {
  200: json(
    z.object({ zoom: SessionZoom.nullable() }),
    "The session's meeting after the attempt (status `failed` with `retryAt` when Zoom is down)",
  ),
  404: json(ErrorBody, "No such session for this coach"),
  409: json(ErrorBody, "The session has no meeting to make (or it is over)"),
  424: json(ErrorBody, "Zoom must be reconnected"),
  503: json(ErrorBody, "Zoom is unreachable (recreate changed nothing)"),
  ...guardedErrors,
};

const retry = createRoute({
  ...coachOnly,
  method: "post",
  path: "/{id}/zoom/retry",
  tags: ["Sessions"],
  summary: "Try the session's Zoom meeting again now (create, move or delete as the booking needs)",
  request: { params },
  responses,
});

const recreate = createRoute({
  ...coachOnly,
  method: "post",
  path: "/{id}/zoom/recreate",
  tags: ["Sessions"],
  summary: "Replace the session's Zoom meeting with a new one (new link; the old one is deleted)",
  request: { params },
  responses,
});

export const zoomMeetingRoutes = apiRoutes()
  .openapi(retry, async (c) => {
    const zoom = await retryZoomMeeting(c.env, c.var.scope, c.req.valid("param").id);
    return c.json({ zoom }, 200);
  })
  .openapi(recreate, async (c) => {
    const zoom = await recreateZoomMeeting(c.env, c.var.scope, c.req.valid("param").id);
    return c.json({ zoom }, 200);
  });
