/** Schemas of a session's Zoom meeting and of an event type's conferencing choice. */
import { z } from "@hono/zod-openapi";
import { EventType } from "./coach";

export const SessionZoom = z
  .object({
    meetingId: z
      .string()
      .nullable()
      .openapi({ description: "Zoom's meeting id; null while it is not created yet" }),
    joinUrl: z
      .string()
      .nullable()
      .openapi({ description: "The link for the client (it carries the passcode)" }),
    passcode: z.string().nullable(),
    status: z.enum(["creating", "ready", "failed", "deleted"]),
    error: z
      .string()
      .optional()
      .openapi({ description: "Why the last try failed, in plain words" }),
    retryAt: z
      .string()
      .optional()
      .openapi({ description: "When Kairos tries again on its own (absent: it will not)" }),
  })
  .openapi("SessionZoom");
export type SessionZoom = z.infer<typeof SessionZoom>;

const Passcode = z.union([z.boolean(), z.string().regex(/^[A-Za-z0-9@\-_*]{1,10}$/)]).openapi({
  description:
    "true: a new passcode for every meeting; false: none from Kairos (Zoom's account rules decide); a string: this passcode (up to 10 of A-Z a-z 0-9 @ - _ *)",
  example: true,
});

export const ConferencingInput = z
  .object({
    provider: z.enum(["zoom", "none"]),
    waitingRoom: z.boolean().optional().openapi({ description: "Default on" }),
    joinBeforeHost: z
      .boolean()
      .optional()
      .openapi({ description: "Default off; only without a waiting room" }),
    passcode: Passcode.optional().openapi({ description: "Default true (generated)" }),
  })
  .openapi("ConferencingInput");

export const Conferencing = z
  .object({
    eventTypeId: z.string(),
    provider: z.enum(["zoom", "none"]),
    waitingRoom: z.boolean(),
    joinBeforeHost: z.boolean(),
    passcode: Passcode,
  })
  .openapi("Conferencing");
export type ConferencingView = z.infer<typeof Conferencing>;

export const EventTypeListWithConferencing = z
  .object({
    items: z.array(EventType.extend({ conferencing: Conferencing })),
    syncedAt: z.string().nullable(),
  })
  .openapi("EventTypesWithConferencing");
