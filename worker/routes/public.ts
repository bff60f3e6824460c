/**
 * The public booking API (/api/public): what the booking page and widget call, without a login.
 * Every write is rate limited, spam-checked and validated before anything is stored.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cachedSlots } from "../availability/cache";
import { isSandbox } from "../config-guard";
import { settleIntent } from "../db/booking-intents";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { checkAnswers } from "../public-booking/answers";
import { icsFor } from "../public-booking/calendar-links";
import {
  checkHuman,
  limitAttemptsPerCoach,
  limitAttemptsPerIp,
  limitReads,
} from "../public-booking/guards";
import { bookOne, outsideWindow } from "../public-booking/place-booking";
import { calendarEntry, loadBooking, presentBooking } from "../public-booking/present";
import { type PublicEventType, publicCoach } from "../public-booking/profile";
import { spendFormToken } from "../public-booking/spend-form-token";
import { issueFormToken, readManageToken } from "../public-booking/tokens";
import { ErrorBody, json } from "../schemas/common";
import {
  AvailabilityQuery,
  BookingRequest,
  BookingResult,
  CancelRequest,
  type Occurrence,
  PublicAvailability,
  PublicBooking,
  PublicCoachView,
} from "../schemas/public";
import { apiRoutes } from "./factory";

const WEEK_MS = 7 * 86_400_000;
const MAX_SPAN_MS = 62 * 86_400_000;
const errors = {
  400: json(ErrorBody, "Invalid input, with a message per field"),
  404: json(ErrorBody, "No such coach, event type or booking"),
  409: json(ErrorBody, "The time was just taken (details.slots has fresh ones)"),
  429: json(ErrorBody, "Too many attempts"),
} as const;

const fieldError = (field: string, message: string) =>
  new AppError("validation_failed", message, { details: [{ field, message }] });

async function coachAndType(c: Context<AppEnv>, coachSlug: string, typeSlug?: string) {
  const coach = await publicCoach(c.env, c.var.db, coachSlug);
  if (!coach) throw new AppError("not_found", "We could not find this coach.");
  const eventType = typeSlug ? coach.eventTypes.find((t) => t.slug === typeSlug) : undefined;
  if (typeSlug && !eventType) {
    throw new AppError("not_found", "This session type is not available for booking.");
  }
  return { coach, eventType };
}

const questionView = (t: PublicEventType) =>
  t.questions.map((q) => ({
    name: q.name,
    type: q.type,
    required: q.required,
    answerChoices: q.answer_choices,
    includeOther: q.include_other,
  }));

const coachRoute = createRoute({
  method: "get",
  path: "/coaches/{coachSlug}",
  tags: ["Public booking"],
  summary: "A coach's bookable event types, questions and booking windows",
  request: { params: z.object({ coachSlug: z.string().min(1).max(100) }) },
  responses: { 200: json(PublicCoachView, "The coach"), 404: errors[404] },
});

const formTokenRoute = createRoute({
  method: "post",
  path: "/form-tokens",
  tags: ["Public booking"],
  summary: "A signed form token (the booking form sends it back; too-fast submits are refused)",
  responses: { 200: json(z.object({ formToken: z.string() }), "A new token") },
});

const availabilityRoute = createRoute({
  method: "get",
  path: "/availability",
  tags: ["Public booking"],
  summary: "Open start times of an event type (from the availability cache)",
  description: "Rate limited to 30 requests a minute per client IP (429 with `Retry-After`).",
  request: { query: AvailabilityQuery },
  responses: {
    200: json(PublicAvailability, "Open slots"),
    400: errors[400],
    404: errors[404],
    429: json(ErrorBody, "Too many requests from this address (see `Retry-After`)"),
  },
});

const bookRoute = createRoute({
  method: "post",
  path: "/bookings",
  tags: ["Public booking"],
  summary: "Book a time (or a weekly series) for a client",
  middleware: [
    bodyLimit({
      maxSize: 256 * 1024,
      onError: () => {
        throw new AppError("payload_too_large", "This booking request is too large.");
      },
    }),
  ] as const,
  request: { body: { content: { "application/json": { schema: BookingRequest } } } },
  responses: { 201: json(BookingResult, "Booked"), ...errors },
});

const token = z.object({ token: z.string().min(10).max(300) });

const manageRoute = createRoute({
  method: "get",
  path: "/bookings/{token}",
  tags: ["Public booking"],
  summary: "The booking a manage link points to",
  request: { params: token },
  responses: { 200: json(PublicBooking, "The booking"), 404: errors[404] },
});

const cancelRoute = createRoute({
  method: "post",
  path: "/bookings/{token}/cancel",
  tags: ["Public booking"],
  summary: "Cancel a booking from its manage link",
  request: {
    params: token,
    body: { content: { "application/json": { schema: CancelRequest } } },
  },
  responses: { 200: json(PublicBooking, "Canceled"), 404: errors[404], 409: errors[409] },
});

async function bookingFromToken(c: Context<AppEnv>, raw: string) {
  const id = await readManageToken(c.env.SESSION_SECRET, raw);
  const found = id ? await loadBooking(c.var.db, id) : null;
  if (!found) throw new AppError("not_found", "This link is invalid or has expired.");
  return found;
}

export const publicRoutes = apiRoutes()
  .openapi(coachRoute, async (c) => {
    const { coach } = await coachAndType(c, c.req.valid("param").coachSlug);
    c.header("Cache-Control", "public, max-age=60");
    return c.json(
      {
        coach: { slug: coach.slug, name: coach.name, timeZone: coach.timeZone },
        eventTypes: coach.eventTypes
          .filter((t) => !t.secret)
          .map((t) => ({
            slug: t.slug,
            name: t.name,
            durationMinutes: t.durationMinutes,
            kind: t.kind,
            description: t.description,
            questions: questionView(t),
            minNoticeMinutes: t.minNoticeMinutes,
            maxDaysAhead: t.maxDaysAhead,
            schedulingUrl: t.schedulingUrl,
          })),
        turnstileSiteKey: c.env.TURNSTILE_SITE_KEY,
        sandbox: isSandbox(c.env),
      },
      200,
    );
  })
  .openapi(formTokenRoute, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ formToken: await issueFormToken(c.env.SESSION_SECRET) }, 200);
  })
  .openapi(availabilityRoute, async (c) => {
    await limitReads(c.env, c.req.header("cf-connecting-ip") ?? "local");
    const q = c.req.valid("query");
    const { coach, eventType } = await coachAndType(c, q.coach, q.eventType);
    if (!eventType) throw new AppError("not_found", "This session type is not available.");
    const now = Date.now();
    const from = new Date(Math.max(Date.parse(q.from), now + eventType.minNoticeMinutes * 60_000));
    const to = new Date(
      Math.min(
        Date.parse(q.to),
        now + eventType.maxDaysAhead * 86_400_000,
        from.getTime() + MAX_SPAN_MS,
      ),
    );
    if (to <= from) return c.json({ slots: [], updatedAt: new Date().toISOString() }, 200);
    const result = await cachedSlots(c.env, (p) => c.executionCtx.waitUntil(p), coach, eventType, {
      from,
      to,
    });
    c.header("Cache-Control", "public, max-age=30");
    return c.json(
      { slots: result.slots, updatedAt: new Date(result.fetchedAt).toISOString() },
      200,
    );
  })
  .openapi(bookRoute, async (c) => {
    const body = c.req.valid("json");
    const ip = c.req.header("cf-connecting-ip") ?? "local";
    await limitAttemptsPerIp(c.env, ip);
    const { coach, eventType } = await coachAndType(c, body.coach, body.eventType);
    if (!eventType) throw fieldError("eventType", "Pick a session type.");

    if (body.returnUrl && !coach.embedOrigins.includes(new URL(body.returnUrl).origin)) {
      throw fieldError("returnUrl", "This return address is not allowed by the coach.");
    }
    const start = new Date(body.startTime);
    const window = outsideWindow(eventType, start);
    if (window) throw fieldError("startTime", window);
    const checked = checkAnswers(eventType.questions, body.answers);
    if ("issues" in checked) {
      throw new AppError("validation_failed", "Please check your answers.", {
        details: checked.issues,
      });
    }
    await checkHuman(c.env, body, ip);
    // Only now, past the cheap checks, does the attempt count against the coach (guards.ts).
    await limitAttemptsPerCoach(c.env, coach.id);
    const asked = { ...body, weeks: body.recurring?.weeks ?? 1 };
    if (!(await spendFormToken(c.var.db, body.formToken, asked))) {
      throw fieldError("formToken", "This booking form was already used. Please reload the page.");
    }

    const ctx = {
      env: c.env,
      db: c.var.db,
      waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p),
      coach,
      eventType,
      client: {
        name: body.name,
        email: body.email,
        timeZone: body.timezone,
        answers: checked.answers,
        tracking: Object.fromEntries(
          Object.entries(body.tracking ?? {}).filter((e): e is [string, string] => Boolean(e[1])),
        ),
      },
      seriesId: body.recurring ? newId("ser") : null,
    };
    const names = {
      coach: { slug: coach.slug, name: coach.name },
      eventType: {
        slug: eventType.slug,
        name: eventType.name,
        durationMinutes: eventType.durationMinutes,
      },
    };
    const returnUrl = body.returnUrl ?? null;
    if (!body.recurring) {
      const intent = await bookOne(ctx, start);
      const booking = await presentBooking(c.env, intent, names);
      return c.json({ booking, returnUrl, series: null }, 201);
    }

    // A series: every week is checked and booked on its own; the answer says how each went.
    const occurrences: z.infer<typeof Occurrence>[] = [];
    // Once Calendly's booking limit is reached (paid plans: 10 a minute), the later weeks are not
    // sent at all: each would only be refused too. They come back failed with the same advice.
    let limited: string | null = null;
    for (let week = 0; week < body.recurring.weeks; week++) {
      const at = new Date(start.getTime() + week * WEEK_MS);
      const problem = limited ?? outsideWindow(eventType, at);
      if (problem) {
        occurrences.push({
          startTime: at.toISOString(),
          status: "failed",
          message: problem,
          booking: null,
        });
        continue;
      }
      try {
        const booking = await presentBooking(c.env, await bookOne(ctx, at), names);
        occurrences.push({ startTime: at.toISOString(), status: "booked", message: null, booking });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === "rate_limited") limited = err.message;
        occurrences.push({
          startTime: at.toISOString(),
          status: "failed",
          message: err.message,
          booking: null,
        });
      }
    }
    const first = occurrences.find((o) => o.booking)?.booking;
    if (!first) {
      if (limited && !occurrences.some((o) => o.message !== limited)) {
        throw new AppError("rate_limited", limited, {
          details: { reason: "calendly_booking_limit", occurrences },
        });
      }
      throw new AppError("conflict", "None of these weeks could be booked.", {
        details: { reason: "series_failed", occurrences },
      });
    }
    return c.json(
      { booking: first, returnUrl, series: { id: ctx.seriesId ?? "", occurrences } },
      201,
    );
  })
  .openapi(manageRoute, async (c) => {
    const { intent, names } = await bookingFromToken(c, c.req.valid("param").token);
    c.header("Cache-Control", "no-store");
    return c.json(await presentBooking(c.env, intent, names), 200);
  })
  .openapi(cancelRoute, async (c) => {
    const { intent, names, kind } = await bookingFromToken(c, c.req.valid("param").token);
    if (intent.status !== "booked" || !intent.eventUri) {
      throw new AppError("conflict", "This booking cannot be canceled any more.");
    }
    if (intent.startTime.getTime() < Date.now()) {
      throw new AppError("conflict", "This session has already started.");
    }
    if (kind === "group") {
      // Canceling a group event through the API would cancel everyone: use Calendly's own page.
      throw new AppError("conflict", "Please cancel this group session from Calendly's link.", {
        details: { cancelUrl: intent.cancelUrl },
      });
    }
    const { reason } = c.req.valid("json");
    await calendlyFor(c.env, intent.coachId).cancelEvent(
      intent.eventUri,
      reason || "Canceled by the client",
    );
    await settleIntent(c.var.db, intent, { status: "canceled" });
    return c.json(await presentBooking(c.env, { ...intent, status: "canceled" }, names), 200);
  });

/** GET /api/public/bookings/{token}/calendar.ics — not JSON, so outside the OpenAPI routes. */
publicRoutes.get("/bookings/:token/calendar.ics", async (c) => {
  const { intent, names } = await bookingFromToken(c, c.req.param("token"));
  const booking = await presentBooking(c.env, intent, names);
  return c.body(icsFor(calendarEntry(intent, names, booking.manageUrl)), 200, {
    "Content-Type": "text/calendar; charset=utf-8",
    "Content-Disposition": 'attachment; filename="session.ics"',
  });
});
