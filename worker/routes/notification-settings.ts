/** GET/PUT /api/notification-settings — when reminders go out (minutes before each session). */
import { createRoute, z } from "@hono/zod-openapi";
import {
  DEFAULT_REMINDER_OFFSETS,
  MAX_OFFSET_MINUTES,
  MAX_OFFSETS,
  reminderOffsets,
  setReminderOffsets,
} from "../notifications/settings";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const Offsets = z
  .array(z.number().int().min(5).max(MAX_OFFSET_MINUTES))
  .max(MAX_OFFSETS)
  .openapi({ example: DEFAULT_REMINDER_OFFSETS });

const NotificationSettings = z
  .object({
    reminderOffsetsMinutes: Offsets.openapi({
      description: `Minutes before the session; at most ${MAX_OFFSETS}, 5 to ${MAX_OFFSET_MINUTES}. Empty: no reminders.`,
    }),
  })
  .openapi("NotificationSettings");

const get = createRoute({
  ...coachOnly,
  method: "get",
  path: "/notification-settings",
  tags: ["Notifications"],
  summary: "When reminders go out (default 24 h and 1 h before)",
  responses: { 200: json(NotificationSettings, "Settings"), ...guardedErrors },
});

const put = createRoute({
  ...coachOnly,
  method: "put",
  path: "/notification-settings",
  tags: ["Notifications"],
  summary: "Set the reminder offsets; sessions booked from now on (and any that change) use them",
  request: { body: { content: { "application/json": { schema: NotificationSettings } } } },
  responses: {
    200: json(NotificationSettings, "Saved"),
    400: json(ErrorBody, "An offset is out of range"),
    ...guardedErrors,
  },
});

export const notificationSettingsRoutes = apiRoutes()
  .openapi(get, async (c) =>
    c.json({ reminderOffsetsMinutes: await reminderOffsets(c.var.scope) }, 200),
  )
  .openapi(put, async (c) => {
    const saved = await setReminderOffsets(c.var.scope, c.req.valid("json").reminderOffsetsMinutes);
    return c.json({ reminderOffsetsMinutes: saved }, 200);
  });
