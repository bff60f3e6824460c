/** A coach's clients: one row per invitee email (case-insensitive), built from their sessions. */
import { z } from "@hono/zod-openapi";
import { Session } from "./sessions";

export const ClientQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1000).optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Client name or email" }),
});
export type ClientQuery = z.infer<typeof ClientQuery>;

export const ClientSummary = z
  .object({
    email: z.string().openapi({ example: "sam.rivera@client.test" }),
    name: z.string().openapi({ description: "The name on the client's latest booking" }),
    sessionsSoFar: z
      .number()
      .int()
      .openapi({ description: "Active sessions (client still booked) that have started" }),
    nextSession: z
      .string()
      .nullable()
      .openapi({ description: "Start of the earliest future active session" }),
    lastSession: z
      .string()
      .nullable()
      .openapi({ description: "Start of the latest past active session" }),
    noShows: z.number().int().openapi({ description: "Bookings marked as no-show" }),
    firstBooked: z
      .string()
      .openapi({ description: "Earliest of the client's booking times and session starts" }),
    totalSessions: z
      .number()
      .int()
      .openapi({ description: "Every session the client was on, canceled ones included" }),
  })
  .openapi("ClientSummary");

export const ClientPage = z
  .object({ items: z.array(ClientSummary), nextCursor: z.string().nullable() })
  .openapi("ClientPage");

export const ClientDetail = ClientSummary.extend({
  sessions: z.array(Session).openapi({ description: "The client's sessions, newest first" }),
}).openapi("ClientDetail");
