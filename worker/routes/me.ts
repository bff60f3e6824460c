/** The signed-in coach: GET /api/me and POST /api/logout. */
import { createRoute, z } from "@hono/zod-openapi";
import { endLoginSession } from "../auth/login-session";
import { liveConnections } from "../connections/live-status";
import { getCoach } from "../db/coaches";
import { AppError } from "../lib/errors";
import { Coach } from "../schemas/coach";
import { guardedErrors, json } from "../schemas/common";

import { apiRoutes, coachOnly } from "./factory";

const me = createRoute({
  ...coachOnly,
  method: "get",
  path: "/me",
  tags: ["Account"],
  summary: "The signed-in coach and their connections",
  responses: { 200: json(Coach, "The coach"), ...guardedErrors },
});

const logout = createRoute({
  ...coachOnly,
  method: "post",
  path: "/logout",
  tags: ["Account"],
  summary: "Revoke the current login session",
  responses: { 200: json(z.object({ ok: z.literal(true) }), "Signed out"), ...guardedErrors },
});

export const meRoutes = apiRoutes()
  .openapi(me, async (c) => {
    const scope = c.var.scope;
    const [coach, connections] = await Promise.all([
      getCoach(scope.db, scope.coachId),
      liveConnections(c.env, scope),
    ]);
    if (!coach) throw new AppError("unauthenticated", "Please sign in to continue.");
    return c.json(
      {
        id: coach.id,
        name: coach.name,
        email: coach.email,
        timeZone: coach.timeZone,
        slug: coach.slug,
        calendlyUserUri: coach.calendlyUserUri,
        connections,
      },
      200,
    );
  })
  .openapi(logout, async (c) => {
    await endLoginSession(c);
    return c.json({ ok: true as const }, 200);
  });
