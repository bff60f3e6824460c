/**
 * The signed-in coach: GET /api/me, POST /api/logout (this browser) and
 * POST /api/login-sessions/revoke-all ("sign out everywhere": every browser of the coach).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { endAllLoginSessions, endLoginSession } from "../auth/login-session";
import { liveConnections } from "../connections/live-status";
import { audit } from "../db/audit";
import { getCoach, slugNotice } from "../db/coaches";
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

const revokeAll = createRoute({
  ...coachOnly,
  method: "post",
  path: "/login-sessions/revoke-all",
  tags: ["Account"],
  summary: "Sign out everywhere: revoke every login session of the coach, this one included",
  responses: {
    200: json(
      z.object({ ok: z.literal(true), revoked: z.number().int().nonnegative() }),
      "Signed out on every browser",
    ),
    ...guardedErrors,
  },
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
        slugNotice: slugNotice(coach),
        calendlyUserUri: coach.calendlyUserUri,
        connections,
      },
      200,
    );
  })
  .openapi(logout, async (c) => {
    await endLoginSession(c);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(revokeAll, async (c) => {
    const coachId = c.var.scope.coachId;
    const revoked = await endAllLoginSessions(c);
    await audit(c.var.db, {
      coachId,
      actor: "coach",
      action: "coach.signed_out_everywhere",
      subject: "login_sessions",
    });
    return c.json({ ok: true as const, revoked }, 200);
  });
