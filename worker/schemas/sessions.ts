import { z } from "@hono/zod-openapi";
import { SessionZoom } from "./zoom-meetings";

export const SessionQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  status: z.enum(["active", "canceled"]).optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({ example: "2026-12-01T00:00:00Z" }),
  to: z.iso.datetime({ offset: true }).optional(),
  eventType: z.string().max(500).optional().openapi({ description: "Calendly event type URI" }),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Client name or email" }),
  sort: z
    .enum(["start", "booked"])
    .default("start")
    .openapi({ description: "By the session's start time, or by when the client booked it" }),
  order: z
    .enum(["asc", "desc"])
    .default("asc")
    .openapi({ description: "Oldest first (asc) or newest first (desc)" }),
  noShow: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only sessions with (true) or without (false) a no-show" }),
  source: z
    .enum(["widget", "calendly"])
    .optional()
    .openapi({ description: "Booked through Kairos's widget, or elsewhere in Calendly" }),
  utmSource: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "Bookings tagged with this utm_source (Calendly link or widget)" }),
});
export type SessionQuery = z.infer<typeof SessionQuery>;

/** Calendly's payment summary for a paid event type (amount in the currency's major unit). */
export const InviteePayment = z
  .object({
    externalId: z.string().nullable().openapi({ description: "The provider's payment id" }),
    provider: z.string().nullable().openapi({ example: "stripe" }),
    amount: z.number().nullable().openapi({ example: 150 }),
    currency: z.string().nullable().openapi({ example: "USD" }),
    terms: z.string().nullable(),
    successful: z.boolean().nullable(),
  })
  .openapi("InviteePayment");

export const SessionInvitee = z
  .object({
    id: z.string(),
    calendlyUri: z.string(),
    email: z.string(),
    name: z.string(),
    status: z.enum(["active", "canceled"]),
    noShow: z.boolean(),
    rescheduled: z.boolean(),
    rescheduledFromSessionId: z.string().optional(),
    rescheduledToSessionId: z.string().optional(),
    canceledBy: z.string().optional(),
    cancelReason: z.string().optional(),
    timeZone: z.string().optional().openapi({ description: "The client's time zone" }),
    bookedWithWidget: z.boolean().openapi({ description: "Booked through Kairos's widget" }),
    seriesId: z
      .string()
      .optional()
      .openapi({ description: "Weekly series booked together through the widget" }),
    rescheduleUrl: z
      .string()
      .optional()
      .openapi({ description: "Calendly's reschedule link for this client (to send on)" }),
    tracking: z
      .record(z.string(), z.string())
      .openapi({ description: "utm_* tags of the booking", example: { utm_source: "newsletter" } }),
    payment: InviteePayment.nullable(),
  })
  .openapi("SessionInvitee");

export const Session = z
  .object({
    id: z.string(),
    calendlyUri: z.string(),
    eventTypeUri: z.string().nullable(),
    name: z.string(),
    startTime: z.string(),
    endTime: z.string(),
    bookedAt: z.string().openapi({ description: "When the client booked" }),
    status: z.enum(["active", "canceled"]),
    location: z.object({ type: z.string(), joinUrl: z.string().optional() }).nullable(),
    invitees: z.array(SessionInvitee),
    zoom: SessionZoom.nullable().openapi({ description: "The session's Zoom meeting, if any" }),
  })
  .openapi("Session");

export const SessionPage = z
  .object({ items: z.array(Session), nextCursor: z.string().nullable() })
  .openapi("SessionPage");
