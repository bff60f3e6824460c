/**
 * A scheduled event as Calendly answers it (REST and webhook payloads alike): its invitee counter
 * (`total` includes canceled invitees), its type's invitee limit and the buffered times of its host.
 */
import { and, eq } from "drizzle-orm";
import { sbEvents, sbEventTypes, sbInvitees, sbUsers } from "../db/schema";
import { eventResource } from "./resources";
import type { SandboxDb } from "./store";

export async function scheduledEventResource(
  env: Env,
  db: SandboxDb,
  e: typeof sbEvents.$inferSelect,
) {
  const [total, active, et, user] = await Promise.all([
    db.$count(sbInvitees, eq(sbInvitees.eventId, e.id)),
    db.$count(sbInvitees, and(eq(sbInvitees.eventId, e.id), eq(sbInvitees.status, "active"))),
    db.query.sbEventTypes.findFirst({ where: eq(sbEventTypes.id, e.eventTypeId) }),
    db.query.sbUsers.findFirst({ where: eq(sbUsers.id, e.userId) }),
  ]);
  if (!user) throw new Error("event without user");
  return eventResource(env.CALENDLY_API_BASE, user, e, { total, active }, et);
}
