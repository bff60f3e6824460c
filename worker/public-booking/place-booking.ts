/**
 * Books a client into a coach's calendar through Calendly's Scheduling API, safely:
 * 1. the same person submitting twice gets the same booking (never two);
 * 2. an earlier attempt whose answer was lost is looked up at Calendly before anything is resent
 *    (`POST /invitees` has no idempotency key);
 * 3. the slot is re-checked with Calendly (not the cache), then claimed in D1 with its audit row in
 *    one batch — the partial unique index lets exactly one concurrent attempt through;
 * 4. only then is Calendly asked, and the intent settles as booked or failed: nothing half-made.
 */
import { bumpAvailabilityVersion, slotsFromCalendly } from "../availability/cache";
import type { CreateInvitee } from "../calendly/schemas";
import {
  type BookingIntent,
  claimSlot,
  getIntent,
  liveIntentForSlot,
  settleIntent,
  unknownAttempt,
} from "../db/booking-intents";
import type { Database } from "../db/client";
import { calendlyFor } from "../durable-objects/coach-guard";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { utmTags } from "../lib/utm";
import type { Answer } from "./answers";
import type { PublicCoach, PublicEventType } from "./profile";

/** Location kinds Calendly needs nothing more for (others need text Kairos does not collect). */
const SELF_CONTAINED_LOCATIONS = new Set([
  "zoom_conference",
  "google_conference",
  "microsoft_teams_conference",
  "webex_conference",
  "gotomeeting_conference",
  "inbound_call",
]);
const WAIT_FOR_TWIN_MS = 10_000;

export type Client = {
  name: string;
  email: string;
  timeZone: string;
  answers: Answer[];
  tracking: Record<string, string>;
};

type Ctx = {
  env: Env;
  db: Database;
  waitUntil: (p: Promise<unknown>) => void;
  coach: PublicCoach;
  eventType: PublicEventType;
  client: Client;
  seriesId: string | null;
};

export const slotTaken = (fresh: string[]) =>
  new AppError("conflict", "This time was just taken. Please pick another one.", {
    details: { reason: "slot_taken", slots: fresh },
  });

/** Is the start inside the event type's booking window? A field message when it is not. */
export function outsideWindow(et: PublicEventType, start: Date, now = Date.now()): string | null {
  if (start.getTime() < now + et.minNoticeMinutes * 60_000) {
    const notice =
      et.minNoticeMinutes % 60 === 0
        ? `${et.minNoticeMinutes / 60} hour${et.minNoticeMinutes === 60 ? "" : "s"}`
        : `${et.minNoticeMinutes} minutes`;
    return `Please pick a time at least ${notice} from now.`;
  }
  if (start.getTime() > now + et.maxDaysAhead * 86_400_000) {
    return `Please pick a time within the next ${et.maxDaysAhead} days.`;
  }
  return null;
}

const slotKeyOf = (ctx: Ctx, start: Date) =>
  ctx.eventType.kind === "group"
    ? `${ctx.eventType.id}|${start.getTime()}|${ctx.client.email}`
    : `${ctx.coach.id}|${start.getTime()}`;

/** Books one start time; returns the booked intent or throws a typed AppError. */
export async function bookOne(ctx: Ctx, start: Date): Promise<BookingIntent> {
  const slotKey = slotKeyOf(ctx, start);
  const twin = await sameBookingInFlight(ctx, slotKey);
  if (twin) return twin;

  const recovered = await recoverLostAnswer(ctx, slotKey, start);
  if (recovered) return recovered;

  const open = await openSlotsAround(ctx, start);
  if (!open.includes(start.toISOString())) throw slotTaken(await freshSlots(ctx, start));

  const intent = await claimSlot(ctx.db, {
    coachId: ctx.coach.id,
    eventTypeId: ctx.eventType.id,
    slotKey,
    startTime: start,
    endTime: new Date(start.getTime() + ctx.eventType.durationMinutes * 60_000),
    email: ctx.client.email,
    name: ctx.client.name,
    timeZone: ctx.client.timeZone,
    answers: ctx.client.answers,
    tracking: ctx.client.tracking,
    seriesId: ctx.seriesId,
  });
  if (!intent) {
    // Someone claimed it between our check and our write: the same person, or another client.
    const again = await sameBookingInFlight(ctx, slotKey);
    if (again) return again;
    throw slotTaken(await freshSlots(ctx, start));
  }
  return askCalendly(ctx, intent);
}

async function askCalendly(ctx: Ctx, intent: BookingIntent): Promise<BookingIntent> {
  const { eventType, client } = ctx;
  const location = eventType.location;
  const body: CreateInvitee = {
    event_type: eventType.calendlyUri,
    start_time: intent.startTime.toISOString(),
    invitee: { email: client.email, name: client.name, timezone: client.timeZone },
    ...(location && SELF_CONTAINED_LOCATIONS.has(location.kind)
      ? { location: { kind: location.kind } }
      : {}),
    ...(client.answers.length ? { questions_and_answers: client.answers } : {}),
    tracking: utmTags(client.tracking),
  };
  try {
    const invitee = await calendlyFor(ctx.env, ctx.coach.id).createInvitee(body);
    return await booked(ctx, intent.id, {
      inviteeUri: invitee.uri,
      eventUri: invitee.event,
      rescheduleUrl: invitee.reschedule_url ?? null,
      cancelUrl: invitee.cancel_url ?? null,
    });
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    const unknown = (e?.details as { outcome?: string } | undefined)?.outcome === "unknown";
    if (unknown) {
      // Calendly may have booked it and the answer got lost: look before saying anything.
      const found = await findAtCalendly(ctx, intent.startTime);
      if (found) return booked(ctx, intent.id, found);
      await settleIntent(ctx.db, intent, { status: "failed", error: "outcome_unknown" });
      throw new AppError(
        "upstream_unavailable",
        "Calendly did not confirm the booking in time. Please try again: you will not be booked twice.",
        { details: { reason: "outcome_unknown" } },
      );
    }
    // Settled as failed, the intent lets go of the slot before the client hears anything.
    await settleIntent(ctx.db, intent, { status: "failed", error: e?.code ?? "internal" });
    if (e?.code === "not_found" || (isBadRequest(e) && !(await stillOpen(ctx, intent.startTime)))) {
      throw slotTaken(await freshSlots(ctx, intent.startTime));
    }
    if (e?.code === "rate_limited") throw schedulingBusy(e);
    throw err;
  }
}

/**
 * Calendly answers a taken slot with 404 (documented) or with a 400 naming `start_time`; its
 * titles and messages drift, so a 400 counts as "taken" only when the slot really is gone now.
 */
const isBadRequest = (e: AppError | undefined) =>
  e?.code === "upstream_error" &&
  (e.details as { upstreamStatus?: number })?.upstreamStatus === 400;

async function stillOpen(ctx: Ctx, start: Date) {
  const open = await openSlotsAround(ctx, start).catch(() => null);
  return open === null || open.includes(start.toISOString());
}

/**
 * `POST /invitees` has its own per-user limits (paid plans: 10 a minute, 50 an hour, 100 a day):
 * past one, the client is told plainly when to try again (the limit's reset, as Calendly gave it).
 */
export function schedulingBusy(e: AppError, now = Date.now()) {
  const retryAt = (e.details as { retryAt?: string } | undefined)?.retryAt ?? null;
  const minutes = retryAt ? Math.max(1, Math.ceil((Date.parse(retryAt) - now) / 60_000)) : null;
  const when =
    minutes === null || minutes > 60
      ? "later"
      : `in ${minutes === 1 ? "a minute" : `${minutes} minutes`}`;
  return new AppError(
    "rate_limited",
    `This coach's calendar is taking a lot of bookings right now. Please try again ${when}.`,
    { details: { reason: "calendly_booking_limit", retryAt } },
  );
}

async function booked(
  ctx: Ctx,
  intentId: string,
  at: {
    inviteeUri: string;
    eventUri: string;
    rescheduleUrl: string | null;
    cancelUrl: string | null;
  },
) {
  await settleIntent(ctx.db, { id: intentId, coachId: ctx.coach.id }, { status: "booked", ...at });
  ctx.waitUntil(bumpAvailabilityVersion(ctx.env, ctx.coach.id));
  log.info("booking.booked", { coachId: ctx.coach.id, bookingId: intentId });
  const row = await getIntent(ctx.db, intentId);
  if (!row) throw new AppError("internal", "The booking vanished while it was being saved.");
  return row;
}

/**
 * The same person already holds this slot (a double submit): wait for that attempt and answer with
 * its booking. Another person holding it means the slot is taken.
 */
async function sameBookingInFlight(ctx: Ctx, slotKey: string): Promise<BookingIntent | null> {
  const deadline = Date.now() + WAIT_FOR_TWIN_MS;
  for (;;) {
    const live = await liveIntentForSlot(ctx.db, slotKey);
    if (!live) return null;
    if (live.email !== ctx.client.email) throw slotTaken(await freshSlots(ctx, live.startTime));
    if (live.status === "booked") return live;
    if (Date.now() > deadline) {
      throw new AppError(
        "conflict",
        "This booking is still being confirmed. Please wait a moment.",
        {
          details: { reason: "in_progress" },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** An earlier attempt's answer was lost: if Calendly has the booking, adopt it instead of resending. */
async function recoverLostAnswer(ctx: Ctx, slotKey: string, start: Date) {
  const earlier = await unknownAttempt(ctx.db, slotKey, ctx.client.email);
  if (!earlier) return null;
  const found = await findAtCalendly(ctx, start);
  return found ? booked(ctx, earlier.id, found) : null;
}

const findAtCalendly = (ctx: Ctx, start: Date) =>
  findBookingAtCalendly(ctx.env, {
    coachId: ctx.coach.id,
    userUri: ctx.coach.calendlyUserUri,
    eventTypeUri: ctx.eventType.calendlyUri,
    email: ctx.client.email,
    start,
  });

/** The client's active invitee at that start time, if Calendly has one. */
export async function findBookingAtCalendly(
  env: Env,
  q: { coachId: string; userUri: string; eventTypeUri: string | null; email: string; start: Date },
) {
  const calendly = calendlyFor(env, q.coachId);
  const page = await calendly.eventsOfInvitee(q.userUri, q.email, {
    start: q.start,
    end: new Date(q.start.getTime() + 1_000),
  });
  for (const event of page.collection) {
    if (q.eventTypeUri && event.event_type && event.event_type !== q.eventTypeUri) continue;
    for await (const invitee of calendly.eventInvitees(event.uri)) {
      if (invitee.email.toLowerCase() === q.email && invitee.status === "active") {
        return {
          inviteeUri: invitee.uri,
          eventUri: event.uri,
          rescheduleUrl: null,
          cancelUrl: null,
        };
      }
    }
  }
  return null;
}

const openSlotsAround = (ctx: Ctx, start: Date) =>
  slotsFromCalendly(ctx.env, ctx.coach.id, ctx.eventType, {
    from: start,
    to: new Date(start.getTime() + 60_000),
  });

/** A few open times near the one that was taken, so the client can pick again at once. */
async function freshSlots(ctx: Ctx, near: Date): Promise<string[]> {
  const from = new Date(Math.max(Date.now(), near.getTime() - 86_400_000));
  const slots = await slotsFromCalendly(ctx.env, ctx.coach.id, ctx.eventType, {
    from,
    to: new Date(near.getTime() + 3 * 86_400_000),
  }).catch(() => []);
  return slots.filter((s) => s !== near.toISOString()).slice(0, 12);
}
