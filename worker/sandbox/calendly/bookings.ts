/**
 * What happens in the fake Calendly when someone books, cancels, reschedules or marks a no-show,
 * shared by the API (`POST /invitees`, cancellation, no-shows) and the sandbox control page. Each
 * change writes the state and emits the webhooks Calendly would send, in Calendly's order.
 */
import { and, eq } from "drizzle-orm";
import { newId } from "../../lib/ids";
import { type Cancellation, sbEvents, sbEventTypes, sbInvitees, sbUsers } from "../db/schema";
import { openSlots } from "./availability";
import { iso6, type SandboxDb, sandboxDb, uris } from "./store";
import { emit, inviteeEnvelope } from "./webhooks";

type User = typeof sbUsers.$inferSelect;
type EventType = typeof sbEventTypes.$inferSelect;
type Ctx = { env: Env; waitUntil: (p: Promise<unknown>) => void };
export type NewInvitee = { email: string; name: string; timezone: string };
export class SlotTaken extends Error {}

async function placeBooking(
  db: SandboxDb,
  user: User,
  et: EventType,
  start: number,
  who: NewInvitee,
  extra: Partial<typeof sbInvitees.$inferInsert> = {},
) {
  const slots = await openSlots(db, user, et, start, start + 1);
  if (!slots.some((s) => s.start === start)) throw new SlotTaken("That time is not available.");
  const now = iso6(Date.now());
  const existing =
    et.kind === "group"
      ? await db.query.sbEvents.findFirst({
          where: and(
            eq(sbEvents.eventTypeId, et.id),
            eq(sbEvents.startTime, start),
            eq(sbEvents.status, "active"),
          ),
        })
      : undefined;
  const eventId = existing?.id ?? newId("ev");
  if (!existing) {
    await db.insert(sbEvents).values({
      id: eventId,
      userId: user.id,
      eventTypeId: et.id,
      name: et.name,
      status: "active",
      startTime: start,
      endTime: start + et.duration * 60_000,
      createdAt: now,
      updatedAt: now,
    });
  }
  const inviteeId = newId("inv");
  await db.insert(sbInvitees).values({
    id: inviteeId,
    eventId,
    email: who.email.toLowerCase(),
    name: who.name,
    timezone: who.timezone,
    status: "active",
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
  return { eventId, inviteeId };
}

export async function book(
  ctx: Ctx,
  user: User,
  et: EventType,
  start: number,
  who: NewInvitee,
  method: string | null,
  extra: Pick<typeof sbInvitees.$inferInsert, "answers" | "tracking"> = {},
) {
  const db = sandboxDb(ctx.env);
  const ids = await placeBooking(db, user, et, start, who, { schedulingMethod: method, ...extra });
  await emit(
    ctx.env,
    user.id,
    [await inviteeEnvelope(ctx.env, db, "invitee.created", ids.inviteeId)],
    ctx.waitUntil,
  );
  return ids;
}

async function cancelRows(
  db: SandboxDb,
  inviteeId: string,
  c: Cancellation,
  patch: Partial<typeof sbInvitees.$inferInsert> = {},
) {
  const inv = await db.query.sbInvitees.findFirst({ where: eq(sbInvitees.id, inviteeId) });
  if (!inv) throw new Error("no such invitee");
  await db
    .update(sbInvitees)
    .set({ status: "canceled", cancellation: c, updatedAt: c.created_at, ...patch })
    .where(eq(sbInvitees.id, inviteeId));
  const left = await db.$count(
    sbInvitees,
    and(eq(sbInvitees.eventId, inv.eventId), eq(sbInvitees.status, "active")),
  );
  if (left === 0) {
    await db
      .update(sbEvents)
      .set({ status: "canceled", cancellation: c, updatedAt: c.created_at })
      .where(eq(sbEvents.id, inv.eventId));
  }
  return inv;
}

export async function cancelInvitee(
  ctx: Ctx,
  user: User,
  inviteeId: string,
  by: "host" | "invitee",
  reason: string | null,
) {
  const db = sandboxDb(ctx.env);
  const inv = await db.query.sbInvitees.findFirst({ where: eq(sbInvitees.id, inviteeId) });
  const c: Cancellation = {
    canceled_by: by === "host" ? user.name : (inv?.name ?? "Invitee"),
    reason,
    canceler_type: by,
    created_at: iso6(Date.now()),
  };
  await cancelRows(db, inviteeId, c);
  await emit(
    ctx.env,
    user.id,
    [await inviteeEnvelope(ctx.env, db, "invitee.canceled", inviteeId)],
    ctx.waitUntil,
  );
}

/** Whole-event cancellation by the host: every active invitee gets `invitee.canceled`. */
export async function cancelEvent(ctx: Ctx, user: User, eventId: string, reason: string | null) {
  const db = sandboxDb(ctx.env);
  const active = await db
    .select()
    .from(sbInvitees)
    .where(and(eq(sbInvitees.eventId, eventId), eq(sbInvitees.status, "active")));
  const c: Cancellation = {
    canceled_by: user.name,
    reason,
    canceler_type: "host",
    created_at: iso6(Date.now()),
  };
  for (const inv of active) await cancelRows(db, inv.id, c);
  await db
    .update(sbEvents)
    .set({ status: "canceled", cancellation: c, updatedAt: c.created_at })
    .where(eq(sbEvents.id, eventId));
  const envelopes = await Promise.all(
    active.map((i) => inviteeEnvelope(ctx.env, db, "invitee.canceled", i.id)),
  );
  await emit(ctx.env, user.id, envelopes, ctx.waitUntil);
  return c;
}

/** Reschedule = old invitee canceled (rescheduled, new_invitee) + new invitee on a new event. */
export async function reschedule(ctx: Ctx, user: User, inviteeId: string, newStart: number) {
  const db = sandboxDb(ctx.env);
  const old = await db.query.sbInvitees.findFirst({ where: eq(sbInvitees.id, inviteeId) });
  const ev = old && (await db.query.sbEvents.findFirst({ where: eq(sbEvents.id, old.eventId) }));
  const et =
    ev && (await db.query.sbEventTypes.findFirst({ where: eq(sbEventTypes.id, ev.eventTypeId) }));
  if (!old || !ev || !et) throw new Error("no such invitee");
  const at = uris(ctx.env.CALENDLY_API_BASE);
  const next = await placeBooking(db, user, et, newStart, old, {
    oldInviteeUri: at.invitee(old.eventId, old.id),
  });
  const c: Cancellation = {
    canceled_by: old.name,
    reason: null,
    canceler_type: "invitee",
    created_at: iso6(Date.now()),
  };
  await cancelRows(db, old.id, c, {
    rescheduled: true,
    newInviteeUri: at.invitee(next.eventId, next.inviteeId),
  });
  await emit(
    ctx.env,
    user.id,
    [
      await inviteeEnvelope(ctx.env, db, "invitee.canceled", old.id),
      await inviteeEnvelope(ctx.env, db, "invitee.created", next.inviteeId),
    ],
    ctx.waitUntil,
  );
  return next;
}

/**
 * Marks or clears a no-show. Like Calendly (fixture `invitee_no_show.created`), this leaves the
 * invitee's `updated_at` alone: the no-show is its own resource with its own `created_at`, so
 * mark → unmark → mark sends payloads that differ only in `no_show` and the envelope's `created_at`.
 */
export async function setNoShow(ctx: Ctx, user: User, inviteeId: string, noShow: boolean) {
  const db = sandboxDb(ctx.env);
  const noShowId = noShow ? newId("ns") : null;
  await db
    .update(sbInvitees)
    .set({ noShowId, noShowAt: noShow ? iso6(Date.now()) : null })
    .where(eq(sbInvitees.id, inviteeId));
  await emit(
    ctx.env,
    user.id,
    [
      await inviteeEnvelope(
        ctx.env,
        db,
        noShow ? "invitee_no_show.created" : "invitee_no_show.deleted",
        inviteeId,
      ),
    ],
    ctx.waitUntil,
  );
  return noShowId;
}
