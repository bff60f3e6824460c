/**
 * GET /api/clients/{email}/delivery — why messages do or do not reach one client: whether the address
 * is suppressed (hard bounce or spam complaint reported by the provider; nothing is sent to it, not
 * even confirmations) and the client's own choices from the preference centre. Only for an address
 * this coach has messaged or that has chosen preferences with this coach.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { notificationOutbox } from "../db/schema";
import { AppError } from "../lib/errors";
import { findPreference, normalEmail, suppressionOf } from "../notifications/preferences/store";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const ClientDelivery = z
  .object({
    email: z.string(),
    emailSuppression: z
      .object({
        reason: z.enum(["bounce", "complaint"]),
        source: z.enum(["resend", "cloudflare"]),
        detail: z.string().nullable(),
        since: z.string().openapi({ format: "date-time" }),
      })
      .nullable(),
    preferences: z.object({
      reminders: z.boolean(),
      followUps: z.boolean(),
      smsReminders: z.boolean(),
    }),
  })
  .openapi("ClientDelivery");

const route = createRoute({
  ...coachOnly,
  method: "get",
  path: "/{email}/delivery",
  tags: ["Clients"],
  summary: "Whether the client's address is suppressed (and why) and what they chose to receive",
  request: {
    params: z.object({
      email: z.string().min(1).max(320).openapi({ example: "sam%40client.test" }),
    }),
  },
  responses: {
    200: json(ClientDelivery, "The client's delivery status"),
    404: json(ErrorBody, "This coach has not messaged that address"),
    ...guardedErrors,
  },
});

export const clientDeliveryRoutes = apiRoutes().openapi(route, async (c) => {
  const scope = c.var.scope;
  const email = normalEmail(c.req.valid("param").email);
  const pref = await findPreference(scope, email);
  if (!pref) {
    const [sent] = await scope.db
      .select({ id: notificationOutbox.id })
      .from(notificationOutbox)
      .where(
        and(eq(notificationOutbox.coachId, scope.coachId), eq(notificationOutbox.recipient, email)),
      )
      .limit(1);
    if (!sent) throw new AppError("not_found", "No messages to that address.");
  }
  const s = await suppressionOf(scope.db, email);
  return c.json(
    {
      email,
      emailSuppression: s
        ? { reason: s.reason, source: s.source, detail: s.detail, since: s.updatedAt.toISOString() }
        : null,
      preferences: {
        reminders: pref?.reminders ?? true,
        followUps: pref?.followUps ?? true,
        smsReminders: pref?.smsReminders ?? false,
      },
    },
    200,
  );
});
