/**
 * Availability for the signed-in coach: an event type's weekly rules (read from Calendly, saved back
 * with PATCH event_type_availability_schedules — the whole list, since Calendly replaces it), and the
 * open slots those rules produce, from the availability cache with its age.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { bumpAvailabilityVersion, cachedSchedule, cachedSlots } from "../availability/cache";
import { availableHours, utilisation, weeklyHours, weekStart } from "../availability/insights";
import { getCoach } from "../db/coaches";
import { eventTypes } from "../db/schema";
import { bookedMinutes } from "../db/sessions";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { isTimeZone } from "../lib/validation";
import { BUFFER_MINUTES, isBufferMinutes, Schedule, ScheduleView } from "../schemas/availability";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const MAX_SPAN_MS = 62 * 86_400_000;
const params = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: json(ErrorBody, "No such event type for this coach"), ...guardedErrors };

async function ownEventType(c: Context<AppEnv>, id: string) {
  const { db, coachId } = c.var.scope;
  const et = await db.query.eventTypes.findFirst({
    where: and(eq(eventTypes.id, id), eq(eventTypes.coachId, coachId)),
  });
  if (!et) throw new AppError("not_found", "No such event type.");
  return et;
}

const getSchedule = createRoute({
  ...coachOnly,
  method: "get",
  path: "/event-types/{id}/schedule",
  tags: ["Availability"],
  summary: "An event type's availability rules, as Calendly has them",
  request: { params },
  responses: { 200: json(ScheduleView, "The schedule"), ...notFound },
});

const putSchedule = createRoute({
  ...coachOnly,
  method: "put",
  path: "/event-types/{id}/schedule",
  tags: ["Availability"],
  summary: "Replace an event type's availability rules in Calendly",
  request: { params, body: { content: { "application/json": { schema: Schedule } } } },
  responses: {
    200: json(ScheduleView, "Saved"),
    400: json(ErrorBody, "Invalid rules"),
    ...notFound,
  },
});

const slots = createRoute({
  ...coachOnly,
  method: "get",
  path: "/availability",
  tags: ["Availability"],
  summary: "Open slots of one of the coach's event types (cached 5 min; `updatedAt` says how old)",
  request: {
    query: z.object({
      eventType: z.string().min(1).max(64).openapi({ description: "Kairos event type id" }),
      from: z.iso.datetime({ offset: true }),
      to: z.iso.datetime({ offset: true }),
    }),
  },
  responses: {
    200: json(z.object({ slots: z.array(z.string()), updatedAt: z.string() }), "Open slots"),
    400: json(ErrorBody, "Invalid window"),
    ...notFound,
  },
});

const view = (
  et: { id: string; name: string; durationMinutes: number },
  s: { timeZone: string; rules: unknown[] },
) =>
  ({
    eventType: { id: et.id, name: et.name, durationMinutes: et.durationMinutes },
    timeZone: s.timeZone,
    rules: s.rules,
  }) as z.infer<typeof ScheduleView>;

const UtilisationView = z.object({
  bookedHours: z.number(),
  availableHours: z.number(),
  ratio: z.number().nullable().openapi({ description: "booked ÷ available (null: no hours)" }),
});

const Insight = z.object({
  eventTypeId: z.string(),
  timeZone: z.string().nullable(),
  weeklyHours: z.number().nullable(),
  weekdays: z.array(
    z.object({
      wday: z.string(),
      intervals: z.array(z.object({ from: z.string(), to: z.string() })),
    }),
  ),
  thisWeek: UtilisationView.nullable(),
  nextWeek: UtilisationView.nullable(),
  error: z.string().nullable(),
});
type Insight = z.infer<typeof Insight>;

const insights = createRoute({
  ...coachOnly,
  method: "get",
  path: "/availability/insights",
  tags: ["Availability"],
  summary: "Per event type: weekly hours and utilisation this week and next",
  responses: {
    200: json(
      z.object({
        items: z.array(Insight),
      }),
      "Insights",
    ),
    ...guardedErrors,
  },
});

const Buffer = z
  .number()
  .int()
  .refine((n) => isBufferMinutes(n), {
    message: `Use one of ${BUFFER_MINUTES.join(", ")} minutes.`,
  });

const putBuffers = createRoute({
  ...coachOnly,
  method: "put",
  path: "/event-types/{id}/buffers",
  tags: ["Availability"],
  summary: "Set the free minutes Calendly keeps before and after each booking (solo types)",
  request: {
    params,
    body: {
      content: { "application/json": { schema: z.object({ before: Buffer, after: Buffer }) } },
    },
  },
  responses: {
    200: json(z.object({ before: z.number(), after: z.number() }), "Saved"),
    400: json(ErrorBody, "Invalid buffers, or not a solo event type"),
    ...notFound,
  },
});

const busy = createRoute({
  ...coachOnly,
  method: "get",
  path: "/availability/busy",
  tags: ["Availability"],
  summary: "The coach's busy times for the next 7 days (Calendly bookings and external calendars)",
  responses: {
    200: json(
      z.object({
        items: z.array(
          z.object({ type: z.enum(["calendly", "external"]), start: z.string(), end: z.string() }),
        ),
      }),
      "Busy times",
    ),
    ...guardedErrors,
  },
});

export const availabilityRoutes = apiRoutes()
  .openapi(getSchedule, async (c) => {
    const et = await ownEventType(c, c.req.valid("param").id);
    const rule = await calendlyFor(c.env, c.var.scope.coachId).eventTypeSchedule(et.calendlyUri);
    if (!rule) throw new AppError("not_found", "Calendly has no schedule for this event type.");
    const parsed = Schedule.safeParse({ timeZone: rule.timezone, rules: rule.rules });
    if (!parsed.success) {
      throw new AppError(
        "upstream_error",
        "Calendly sent availability rules Kairos could not read.",
      );
    }
    return c.json(view(et, parsed.data), 200);
  })
  .openapi(putSchedule, async (c) => {
    const et = await ownEventType(c, c.req.valid("param").id);
    const schedule = c.req.valid("json");
    if (!isTimeZone(schedule.timeZone)) {
      throw new AppError("validation_failed", "Unknown time zone.", {
        details: [{ field: "timeZone", message: "Unknown time zone." }],
      });
    }
    await calendlyFor(c.env, c.var.scope.coachId).updateEventTypeSchedule(et.calendlyUri, {
      timezone: schedule.timeZone,
      rules: schedule.rules,
    });
    await bumpAvailabilityVersion(c.env, c.var.scope.coachId);
    return c.json(view(et, schedule), 200);
  })
  .openapi(insights, async (c) => {
    const { db, coachId } = c.var.scope;
    const types = await db
      .select()
      .from(eventTypes)
      .where(and(eq(eventTypes.coachId, coachId), eq(eventTypes.active, true)));
    const items = await Promise.all(
      types.map(async (et): Promise<Insight> => {
        try {
          const raw = await cachedSchedule(c.env, coachId, et);
          const parsed = raw && Schedule.safeParse({ timeZone: raw.timezone, rules: raw.rules });
          if (!parsed?.success) throw new AppError("upstream_error", "No readable schedule.");
          const { rules, timeZone } = parsed.data;
          const week = async (offset: number) => {
            const start = weekStart(Date.now(), timeZone, offset);
            const end = weekStart(Date.now(), timeZone, offset + 1);
            const booked = await bookedMinutes(db, coachId, et.calendlyUri, start, end);
            return utilisation(booked, availableHours(rules, start));
          };
          return {
            eventTypeId: et.id,
            timeZone,
            weeklyHours: weeklyHours(rules),
            weekdays: rules.flatMap((r) =>
              r.type === "wday" && r.intervals.length
                ? [{ wday: r.wday, intervals: r.intervals }]
                : [],
            ),
            thisWeek: await week(0),
            nextWeek: await week(1),
            error: null,
          };
        } catch (err) {
          const message = err instanceof AppError ? err.message : "Could not read this schedule.";
          return {
            eventTypeId: et.id,
            timeZone: null,
            weeklyHours: null,
            weekdays: [],
            thisWeek: null,
            nextWeek: null,
            error: message,
          };
        }
      }),
    );
    return c.json({ items }, 200);
  })
  .openapi(putBuffers, async (c) => {
    const et = await ownEventType(c, c.req.valid("param").id);
    if (et.kind !== "solo") {
      throw new AppError("validation_failed", "Calendly lets Kairos edit one-on-one types only.", {
        details: [{ field: "id", message: "Not a one-on-one event type." }],
      });
    }
    const { before, after } = c.req.valid("json");
    const updated = await calendlyFor(c.env, c.var.scope.coachId).updateEventType(et.calendlyUri, {
      before_buffer: before,
      after_buffer: after,
    });
    await c.var.scope.db
      .update(eventTypes)
      .set({
        beforeBuffer: updated.before_buffer ?? before,
        afterBuffer: updated.after_buffer ?? after,
        updatedAt: new Date(),
      })
      .where(eq(eventTypes.id, et.id));
    await bumpAvailabilityVersion(c.env, c.var.scope.coachId);
    return c.json({ before, after }, 200);
  })
  .openapi(busy, async (c) => {
    const { db, coachId } = c.var.scope;
    const coach = await getCoach(db, coachId);
    if (!coach) throw new AppError("unauthenticated", "Please sign in to continue.");
    // Calendly refuses a start in the past and spans over 7 days.
    const start = new Date(Date.now() + 60_000);
    const end = new Date(start.getTime() + 7 * 86_400_000 - 120_000);
    const items = await calendlyFor(c.env, coachId).busyTimes(coach.calendlyUserUri, {
      start,
      end,
    });
    return c.json(
      {
        items: items.map((b) => ({
          type: b.type === "external" ? ("external" as const) : ("calendly" as const),
          start: new Date(b.start_time).toISOString(),
          end: new Date(b.end_time).toISOString(),
        })),
      },
      200,
    );
  })
  .openapi(slots, async (c) => {
    const q = c.req.valid("query");
    const et = await ownEventType(c, q.eventType);
    const from = new Date(q.from);
    const to = new Date(Math.min(Date.parse(q.to), from.getTime() + MAX_SPAN_MS));
    if (to <= from) {
      throw new AppError("validation_failed", "`to` must be after `from`.", {
        details: [{ field: "to", message: "Must be after from." }],
      });
    }
    const coach = await getCoach(c.var.scope.db, c.var.scope.coachId);
    if (!coach) throw new AppError("unauthenticated", "Please sign in to continue.");
    const result = await cachedSlots(c.env, (p) => c.executionCtx.waitUntil(p), coach, et, {
      from,
      to,
    });
    return c.json(
      { slots: result.slots, updatedAt: new Date(result.fetchedAt).toISOString() },
      200,
    );
  });
