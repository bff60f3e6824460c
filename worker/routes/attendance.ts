/**
 * A session's Zoom attendance and its proposed no-shows: GET /api/sessions/{id}/attendance (minutes
 * per person and each invitee's verdict, computed now), POST …/attendance/{inviteeId}/confirm (marks
 * the no-show at Calendly) and …/dismiss; GET/PUT /api/attendance/settings (grace, lateness,
 * auto-confirm after N hours — off by default).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { confirmNoShow, dismissNoShow } from "../zoom/attendance/reviews";
import { evaluateSession, presentAttendance } from "../zoom/attendance/session-attendance";
import { getAttendanceSettings, saveAttendanceSettings } from "../zoom/attendance/settings";
import { VERDICTS } from "../zoom/attendance/verdicts";
import { apiRoutes, coachOnly } from "./factory";

const id = z.string().min(1).max(64);
const time = z.string().nullable();
const Person = { firstJoinAt: time, minutes: z.number().int() };

export const SessionAttendance = z
  .object({
    final: z.boolean().openapi({
      description:
        "False while the meeting may still run (before its end, or scheduled end + grace)",
    }),
    zoomMeeting: z.boolean().openapi({ description: "Whether the session has a Zoom meeting" }),
    evaluatedAt: z.string(),
    host: z.object({
      present: z.boolean(),
      late: z.boolean(),
      noShow: z.boolean().openapi({ description: "A client came and the host never did" }),
      ...Person,
    }),
    invitees: z.array(
      z.object({
        inviteeId: z.string(),
        email: z.string(),
        matchedBy: z.enum(["email", "name", "none"]),
        waited: z.boolean().openapi({ description: "Waited in the waiting room or for the host" }),
        verdict: z.enum(VERDICTS),
        review: z
          .object({
            state: z.enum(["proposed", "confirmed", "dismissed"]),
            decidedBy: z.enum(["coach", "auto"]).nullable(),
            decidedAt: time,
            autoConfirmAt: time,
          })
          .nullable(),
        ...Person,
      }),
    ),
    guests: z.array(z.object({ name: z.string(), email: z.string(), ...Person })),
  })
  .openapi("SessionAttendance");

const AttendanceSettings = z
  .object({
    graceMinutes: z.number().int().min(0).max(240),
    lateMinutes: z.number().int().min(1).max(120),
    autoConfirmHours: z.number().int().min(1).max(720).nullable(),
  })
  .openapi("AttendanceSettings");

const errors = {
  404: json(ErrorBody, "No such session (or invitee) for this coach"),
  409: json(ErrorBody, "Not a proposed no-show"),
  ...guardedErrors,
} as const;

const get = createRoute({
  ...coachOnly,
  method: "get",
  path: "/sessions/{id}/attendance",
  tags: ["Attendance"],
  summary: "Who came to the session's Zoom meeting, for how long, and the verdicts",
  request: { params: z.object({ id }) },
  responses: { 200: json(SessionAttendance, "The attendance"), ...errors },
});

const decide = (action: "confirm" | "dismiss", summary: string) =>
  createRoute({
    ...coachOnly,
    method: "post",
    path: `/sessions/{id}/attendance/{inviteeId}/${action}`,
    tags: ["Attendance"],
    summary,
    request: { params: z.object({ id, inviteeId: id }) },
    responses: { 200: json(SessionAttendance, "The attendance after the decision"), ...errors },
  });

const getSettings = createRoute({
  ...coachOnly,
  method: "get",
  path: "/attendance/settings",
  tags: ["Attendance"],
  summary: "The coach's attendance rules",
  responses: { 200: json(AttendanceSettings, "The rules"), ...guardedErrors },
});

const putSettings = createRoute({
  ...coachOnly,
  method: "put",
  path: "/attendance/settings",
  tags: ["Attendance"],
  summary: "Change the attendance rules (auto-confirm: null = off)",
  request: { body: { content: { "application/json": { schema: AttendanceSettings } } } },
  responses: {
    200: json(AttendanceSettings, "The rules"),
    400: json(ErrorBody, "Invalid rules"),
    ...guardedErrors,
  },
});

const present = async (scope: Parameters<typeof evaluateSession>[0], sessionId: string) =>
  presentAttendance(await evaluateSession(scope, sessionId, Date.now()));

export const attendanceRoutes = apiRoutes()
  .openapi(get, async (c) => c.json(await present(c.var.scope, c.req.valid("param").id), 200))
  .openapi(decide("confirm", "Confirm a proposed no-show: marks it at Calendly"), async (c) => {
    const { id: sessionId, inviteeId } = c.req.valid("param");
    await confirmNoShow(c.env, c.var.scope, sessionId, inviteeId, "coach");
    return c.json(await present(c.var.scope, sessionId), 200);
  })
  .openapi(decide("dismiss", "Dismiss a proposed no-show"), async (c) => {
    const { id: sessionId, inviteeId } = c.req.valid("param");
    await dismissNoShow(c.var.scope, sessionId, inviteeId);
    return c.json(await present(c.var.scope, sessionId), 200);
  })
  .openapi(getSettings, async (c) => c.json(await getAttendanceSettings(c.var.scope), 200))
  .openapi(putSettings, async (c) =>
    c.json(await saveAttendanceSettings(c.var.scope, c.req.valid("json")), 200),
  );
