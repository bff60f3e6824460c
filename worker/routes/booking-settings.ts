/**
 * GET/PUT /api/booking-settings — which websites may embed the coach's booking widget (and be sent
 * back to after a booking), plus the page URL and the snippet to paste.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { getCoach } from "../db/coaches";
import { coaches } from "../db/schema";
import { AppError } from "../lib/errors";
import { embedOriginProblem } from "../public-booking/embed-origins";
import { forgetPublicCoach } from "../public-booking/profile";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

/** An origin only: scheme, host and port, nothing after them. */
const Origin = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  }, "Use an origin like https://coach.example (no path, no trailing slash).");

const BookingSettings = z
  .object({
    embedOrigins: z.array(Origin).max(10),
    bookingPageUrl: z.string(),
    snippet: z.string(),
  })
  .openapi("BookingSettings");

const get = createRoute({
  ...coachOnly,
  method: "get",
  path: "/booking-settings",
  tags: ["Booking widget"],
  summary: "Allowed embed origins, the booking page URL and the embed snippet",
  responses: { 200: json(BookingSettings, "Settings"), ...guardedErrors },
});

const put = createRoute({
  ...coachOnly,
  method: "put",
  path: "/booking-settings",
  tags: ["Booking widget"],
  summary: "Set the origins allowed to embed the booking widget",
  request: {
    body: {
      content: {
        "application/json": { schema: z.object({ embedOrigins: z.array(Origin).max(10) }) },
      },
    },
  },
  responses: {
    200: json(BookingSettings, "Saved"),
    400: json(ErrorBody, "An origin is not valid"),
    ...guardedErrors,
  },
});

function view(env: Env, coach: { slug: string; embedOrigins: string[] }) {
  return {
    embedOrigins: coach.embedOrigins,
    bookingPageUrl: `${env.APP_URL}/book/${coach.slug}`,
    snippet: `<div id="kairos-booking"></div>\n<script async src="${env.APP_URL}/embed.js" data-coach="${coach.slug}" data-mode="inline" data-target="#kairos-booking"></script>`,
  };
}

export const bookingSettingsRoutes = apiRoutes()
  .openapi(get, async (c) => {
    const coach = await getCoach(c.var.scope.db, c.var.scope.coachId);
    if (!coach) throw new AppError("unauthenticated", "Please sign in to continue.");
    return c.json(view(c.env, coach), 200);
  })
  .openapi(put, async (c) => {
    const { db, coachId } = c.var.scope;
    const embedOrigins = [...new Set(c.req.valid("json").embedOrigins)];
    const details = embedOrigins.flatMap((origin, i) => {
      const message = embedOriginProblem(c.env, origin);
      return message ? [{ field: `embedOrigins.${i}`, message: `${origin}: ${message}` }] : [];
    });
    if (details.length) {
      throw new AppError("validation_failed", details.map((d) => d.message).join(" "), { details });
    }
    const [coach] = await db
      .update(coaches)
      .set({ embedOrigins, updatedAt: new Date() })
      .where(eq(coaches.id, coachId))
      .returning();
    if (!coach) throw new AppError("unauthenticated", "Please sign in to continue.");
    await forgetPublicCoach(c.env, coach.slug);
    return c.json(view(c.env, coach), 200);
  });
