/** Shapes of the public booking API (/api/public): no login, used by the booking page and widget. */
import { z } from "@hono/zod-openapi";
import { isTimeZone } from "../lib/validation";

export const PublicQuestion = z.object({
  name: z.string(),
  type: z.enum(["string", "text", "phone_number", "single_select", "multi_select"]),
  required: z.boolean(),
  answerChoices: z.array(z.string()),
  includeOther: z.boolean(),
});

export const PublicEventTypeView = z
  .object({
    slug: z.string(),
    name: z.string(),
    durationMinutes: z.number().int(),
    kind: z.string(),
    description: z.string().nullable(),
    questions: z.array(PublicQuestion),
    minNoticeMinutes: z.number().int(),
    maxDaysAhead: z.number().int(),
    schedulingUrl: z.string().openapi({ description: "Calendly's own page (the fallback)" }),
  })
  .openapi("PublicEventType");

export const PublicCoachView = z
  .object({
    coach: z.object({ slug: z.string(), name: z.string(), timeZone: z.string() }),
    eventTypes: z.array(PublicEventTypeView),
    turnstileSiteKey: z.string(),
    sandbox: z.boolean(),
  })
  .openapi("PublicCoach");

export const AvailabilityQuery = z.object({
  coach: z.string().min(1).max(100),
  eventType: z.string().min(1).max(100),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export const PublicAvailability = z
  .object({
    slots: z.array(z.string()).openapi({ description: "Open start times, UTC ISO 8601" }),
    updatedAt: z.string().openapi({ description: "When these slots were read from Calendly" }),
  })
  .openapi("PublicAvailability");

const short = (max: number) => z.string().trim().max(max);

export const BookingRequest = z
  .object({
    coach: z.string().min(1).max(100),
    eventType: z.string().min(1).max(100),
    startTime: z.iso.datetime({ offset: true, message: "Pick a time from the list." }),
    timezone: z.string().max(64).refine(isTimeZone, "Unknown time zone."),
    name: short(200).min(1, "Please enter your name."),
    email: z
      .email("Please enter a valid email address.")
      .max(254)
      .transform((e) => e.toLowerCase()),
    answers: z
      .record(
        z.string().max(300),
        z.union([
          short(5_000).max(5_000, "Answers can be at most 5,000 characters."),
          z.array(short(500)).max(20),
        ]),
      )
      .default({}),
    turnstileToken: z.string().min(1, "Please complete the spam check.").max(4_096),
    formToken: z.string().min(1).max(200),
    /** Honeypot: hidden from people, so it must stay empty. */
    website: z.string().max(500).optional(),
    returnUrl: z.url().max(2_000).optional(),
    tracking: z
      .object({
        utm_source: short(200),
        utm_medium: short(200),
        utm_campaign: short(200),
        utm_content: short(200),
        utm_term: short(200),
        referrer: short(2_000),
      })
      .partial()
      .optional(),
    recurring: z
      .object({ weeks: z.number().int().min(2).max(12) })
      .optional()
      .openapi({ description: "Book the same time weekly, 2–12 occurrences" }),
  })
  .openapi("BookingRequest");
export type BookingRequest = z.infer<typeof BookingRequest>;

export const PublicBooking = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "booked", "failed", "canceled"]),
    startTime: z.string(),
    endTime: z.string(),
    timeZone: z.string(),
    name: z.string(),
    eventType: z.object({ slug: z.string(), name: z.string(), durationMinutes: z.number() }),
    coach: z.object({ slug: z.string(), name: z.string() }),
    manageUrl: z.string(),
    icsUrl: z.string(),
    googleCalendarUrl: z.string(),
    outlookCalendarUrl: z.string(),
    rescheduleUrl: z.string().nullable(),
    seriesId: z.string().nullable(),
  })
  .openapi("PublicBooking");
export type PublicBooking = z.infer<typeof PublicBooking>;

export const Occurrence = z.object({
  startTime: z.string(),
  status: z.enum(["booked", "failed"]),
  message: z.string().nullable(),
  booking: PublicBooking.nullable(),
});

export const BookingResult = z
  .object({
    booking: PublicBooking,
    returnUrl: z.string().nullable(),
    series: z.object({ id: z.string(), occurrences: z.array(Occurrence) }).nullable(),
  })
  .openapi("BookingResult");

export const CancelRequest = z.object({
  reason: z.string().trim().max(2_000).default(""),
});
