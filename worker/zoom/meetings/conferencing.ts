/**
 * An event type's conferencing choice as the API reads and writes it: `provider` zoom | none, the
 * room settings (waiting room on and join before host off unless the coach changes them) and the
 * passcode (true: a new one per meeting; false: none from Kairos; a string: that one). The choice
 * decides whether bookings made from then on get a meeting; one already made keeps following its
 * booking whatever the choice becomes.
 */
import { and, eq } from "drizzle-orm";
import { getConnection } from "../../db/connections";
import { eventTypes } from "../../db/schema";
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import type { ConferencingView } from "../../schemas/zoom-meetings";
import { type Conferencing, DEFAULT_CONFERENCING } from "./plan";
import { getConferencing, listConferencing, saveConferencing } from "./store";

export type ConferencingChange = {
  provider: "zoom" | "none";
  waitingRoom?: boolean;
  joinBeforeHost?: boolean;
  passcode?: boolean | string;
};

export const viewOf = (eventTypeId: string, c: Conferencing): ConferencingView => ({
  eventTypeId,
  provider: c.provider,
  waitingRoom: c.waitingRoom,
  joinBeforeHost: c.joinBeforeHost,
  passcode: c.passcodeMode === "fixed" && c.passcode ? c.passcode : c.passcodeMode !== "none",
});

async function ownEventType({ db, coachId }: CoachScope, id: string) {
  const row = await db.query.eventTypes.findFirst({
    where: and(eq(eventTypes.coachId, coachId), eq(eventTypes.id, id)),
    columns: { id: true },
  });
  if (!row) throw new AppError("not_found", "Event type not found.");
  return row;
}

export async function conferencingOf(scope: CoachScope, eventTypeId: string) {
  await ownEventType(scope, eventTypeId);
  return viewOf(eventTypeId, await getConferencing(scope, eventTypeId));
}

/** Adds each event type's choice (GET /api/event-types), in one query. */
export async function withConferencing<T extends { id: string }>(
  scope: CoachScope,
  items: T[],
): Promise<(T & { conferencing: ConferencingView })[]> {
  const saved = items.length ? await listConferencing(scope) : new Map<string, Conferencing>();
  return items.map((t) => ({
    ...t,
    conferencing: viewOf(t.id, saved.get(t.id) ?? DEFAULT_CONFERENCING),
  }));
}

export async function setConferencing(
  scope: CoachScope,
  eventTypeId: string,
  change: ConferencingChange,
): Promise<ConferencingView> {
  await ownEventType(scope, eventTypeId);
  const current = await getConferencing(scope, eventTypeId);
  const waitingRoom = change.waitingRoom ?? current.waitingRoom;
  const joinBeforeHost = change.joinBeforeHost ?? current.joinBeforeHost;
  if (waitingRoom && joinBeforeHost) {
    throw new AppError("validation_failed", "Join before host needs the waiting room off.", {
      details: [{ field: "joinBeforeHost", message: "Turn the waiting room off first." }],
    });
  }
  if (change.provider === "zoom") {
    const zoom = await getConnection(scope, "zoom");
    if (!zoom || zoom.status === "disconnected") {
      throw new AppError("conflict", "Connect Zoom first (Settings → Connections).");
    }
  }
  const passcode = change.passcode;
  const next: Conferencing = {
    provider: change.provider,
    waitingRoom,
    joinBeforeHost,
    // Zoom from now on: bookings already made keep the details they were booked with.
    zoomSince:
      change.provider === "zoom"
        ? ((current.provider === "zoom" ? current.zoomSince : null) ?? new Date())
        : null,
    ...(passcode === undefined
      ? { passcodeMode: current.passcodeMode, passcode: current.passcode }
      : typeof passcode === "string"
        ? { passcodeMode: "fixed" as const, passcode }
        : { passcodeMode: passcode ? ("generate" as const) : ("none" as const), passcode: null }),
  };
  await saveConferencing(scope, eventTypeId, next);
  return viewOf(eventTypeId, next);
}
