/**
 * Seed data of the fake Calendly, written once (lazily, idempotently) per database: Dana Reyes and
 * Lee Park with event types, weekly schedules and a history of past and future bookings (some
 * canceled, rescheduled or no-shows), and Dana's team (seed-team.ts). Times are placed relative to
 * the seed moment, in each coach's own time zone, on free schedule slots; a small LCG keeps the data
 * the same on every machine.
 */
import { TZDate } from "@date-fns/tz";
import { eq } from "drizzle-orm";
import type { Rule } from "../db/schema";
import { sbEvents, sbEventTypes, sbInvitees, sbKv, sbUsers } from "../db/schema";
import { questionsFor } from "./questions";
import { seedTeam } from "./seed-team";
import { iso6, type SandboxDb, sandboxDb, uris } from "./store";

const weekdays = (days: string[], intervals: { from: string; to: string }[]): Rule[] =>
  days.map((wday) => ({ type: "wday", wday, intervals }));

type CoachSeed = {
  id: string;
  email: string;
  name: string;
  slug: string;
  timezone: string;
  rules: (now: number) => Rule[];
  types: {
    slug: string;
    name: string;
    duration: number;
    kind: "solo" | "group";
    limit: number;
    color: string;
    /** Minutes between offered start times (Calendly's default is 30). */
    increment?: number;
    /** Paid event type: seeded invitees carry Calendly's `payment` object. */
    price?: { amount: number; currency: string };
  }[];
  past: number;
  future: number;
  hours: number[];
};

const COACHES: CoachSeed[] = [
  {
    id: "dana-reyes-0001",
    email: "dana@coach.test",
    name: "Dana Reyes",
    slug: "dana-reyes",
    timezone: "America/New_York",
    rules: (now) => [
      ...weekdays(
        ["monday", "tuesday", "wednesday", "thursday", "friday"],
        [
          { from: "09:00", to: "12:00" },
          { from: "13:00", to: "17:00" },
        ],
      ),
      {
        type: "date",
        date: localDate(now + 10 * DAY, "America/New_York"),
        intervals: [{ from: "10:00", to: "12:00" }],
      },
    ],
    types: [
      {
        slug: "intro-call",
        name: "Intro Call",
        duration: 30,
        kind: "solo",
        limit: 1,
        color: "#0ea5e9",
      },
      {
        slug: "coaching-session",
        name: "Coaching Session",
        duration: 60,
        kind: "solo",
        limit: 1,
        color: "#8b5cf6",
        price: { amount: 150, currency: "USD" },
      },
      {
        slug: "group-workshop",
        name: "Group Workshop",
        duration: 90,
        kind: "group",
        limit: 8,
        color: "#f59e0b",
      },
    ],
    past: 40,
    future: 20,
    hours: [9, 10, 11, 13, 14, 15],
  },
  {
    id: "lee-park-0002",
    email: "lee@coach.test",
    name: "Lee Park",
    slug: "lee-park",
    timezone: "Europe/Berlin",
    rules: () =>
      weekdays(["monday", "tuesday", "wednesday", "thursday"], [{ from: "10:00", to: "18:00" }]),
    types: [
      {
        slug: "discovery-call",
        name: "Discovery Call",
        duration: 20,
        increment: 20,
        kind: "solo",
        limit: 1,
        color: "#10b981",
      },
      {
        slug: "strategy-session",
        name: "Strategy Session",
        duration: 45,
        kind: "solo",
        limit: 1,
        color: "#ef4444",
        price: { amount: 120, currency: "EUR" },
      },
    ],
    past: 10,
    future: 5,
    hours: [10, 11, 14, 15, 16],
  },
];

const DAY = 86_400_000;
const CLIENTS = [
  "Sam Rivera",
  "Alex Kim",
  "Jordan Lee",
  "Priya Nair",
  "Chris Moreau",
  "Taylor Brooks",
  "Morgan Diaz",
  "Jamie Chen",
  "Robin Okafor",
  "Casey Novak",
];

function localDate(ms: number, tz: string) {
  const d = new TZDate(ms, tz);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Deterministic pseudo-random numbers (same data on every machine). */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}

let seeded: Promise<void> | undefined;

export function ensureCalendlySeed(env: Env): Promise<void> {
  seeded ??= seed(sandboxDb(env), env.CALENDLY_API_BASE).catch((err) => {
    seeded = undefined;
    throw err;
  });
  return seeded;
}

async function seed(db: SandboxDb, base: string) {
  const done = await db.query.sbKv.findFirst({ where: eq(sbKv.key, "seeded_at") });
  if (done) return;
  const now = Date.now();
  const stamp = iso6(now - 400 * DAY);
  for (const [ci, coach] of COACHES.entries()) {
    await db
      .insert(sbUsers)
      .values({
        id: coach.id,
        email: coach.email,
        name: coach.name,
        slug: coach.slug,
        timezone: coach.timezone,
        orgId: `org-${coach.slug}`,
        scheduleId: `schedule-${coach.slug}`,
        rules: coach.rules(now),
        createdAt: stamp,
      })
      .onConflictDoNothing();
    await db
      .insert(sbEventTypes)
      .values(
        coach.types.map((t, position) => ({
          id: `${coach.slug}-${t.slug}`,
          userId: coach.id,
          name: t.name,
          slug: t.slug,
          duration: t.duration,
          kind: t.kind,
          inviteeLimit: t.limit,
          position,
          color: t.color,
          startTimeIncrement: t.increment ?? 30,
          description: `${t.name} with ${coach.name}.`,
          createdAt: stamp,
        })),
      )
      .onConflictDoNothing();
    await seedBookings(db, base, coach, now, lcg(ci + 7));
  }
  await seedTeam(db, now, stamp);
  await db
    .insert(sbKv)
    .values({ key: "seeded_at", value: String(now) })
    .onConflictDoNothing();
}

async function seedBookings(
  db: SandboxDb,
  base: string,
  coach: CoachSeed,
  now: number,
  rand: () => number,
) {
  const taken = new Set<number>();
  const slot = (dayOffset: number) => {
    for (let d = dayOffset; ; d += Math.sign(dayOffset) || 1) {
      const day = new TZDate(now + d * DAY, coach.timezone);
      if (day.getDay() === 0 || day.getDay() === 6) continue;
      const hour = coach.hours[Math.floor(rand() * coach.hours.length)] ?? coach.hours[0] ?? 10;
      const start = new TZDate(
        day.getFullYear(),
        day.getMonth(),
        day.getDate(),
        hour,
        0,
        coach.timezone,
      ).getTime();
      if (!taken.has(start)) {
        taken.add(start);
        return start;
      }
    }
  };
  const total = coach.past + coach.future;
  for (let n = 0; n < total; n++) {
    const past = n < coach.past;
    const start = past
      ? slot(-60 + Math.floor((n * 58) / coach.past))
      : slot(1 + Math.floor(((n - coach.past) * 28) / coach.future));
    const type = coach.types[n % coach.types.length];
    if (!type) continue;
    const client = CLIENTS[n % CLIENTS.length] ?? "Sam Rivera";
    const email = `${client.toLowerCase().replace(" ", ".")}@client.test`;
    // Booked a week ahead, changed two days ahead, but never later than the seed moment itself
    // (a stamp in the future would read as a booking made seconds ago). Minutes keep them apart.
    const created = iso6(Math.min(start - 7 * DAY, now - 2 * DAY - (total - n) * 60_000));
    const changed = iso6(Math.min(start - 2 * DAY, now - DAY - (total - n) * 60_000));
    const eventId = `${coach.slug}-ev-${String(n).padStart(3, "0")}`;
    const inviteeId = `${eventId}-inv`;
    const canceled = n % 7 === 3;
    const rescheduled = n % 9 === 5;
    const noShow = past && n % 6 === 1 && !canceled && !rescheduled;
    const cancellation =
      canceled || rescheduled
        ? {
            canceled_by: canceled ? client : coach.name,
            reason: canceled ? "Schedule conflict" : null,
            canceler_type: canceled ? ("invitee" as const) : ("host" as const),
            created_at: changed,
          }
        : null;
    const at = uris(base);
    await db
      .insert(sbEvents)
      .values({
        id: eventId,
        userId: coach.id,
        eventTypeId: `${coach.slug}-${type.slug}`,
        name: type.name,
        status: canceled || rescheduled ? "canceled" : "active",
        startTime: start,
        endTime: start + type.duration * 60_000,
        cancellation,
        createdAt: created,
        updatedAt: cancellation ? cancellation.created_at : created,
      })
      .onConflictDoNothing();
    const movedId = `${eventId}-moved`;
    await db
      .insert(sbInvitees)
      .values({
        id: inviteeId,
        eventId,
        email,
        name: client,
        timezone: coach.timezone,
        status: canceled || rescheduled ? "canceled" : "active",
        rescheduled,
        newInviteeUri: rescheduled ? at.invitee(movedId, `${movedId}-inv`) : null,
        noShowId: noShow ? `${inviteeId}-noshow` : null,
        noShowAt: noShow ? iso6(start + type.duration * 60_000) : null,
        cancellation,
        answers: seededAnswers(type.slug, n),
        payment: type.price && seededPayment(type.price, eventId),
        createdAt: created,
        updatedAt: cancellation ? cancellation.created_at : created,
      })
      .onConflictDoNothing();
    if (rescheduled) {
      const newStart = slot(past ? -1 : Math.ceil((start - now) / DAY) + 2);
      await db
        .insert(sbEvents)
        .values({
          id: movedId,
          userId: coach.id,
          eventTypeId: `${coach.slug}-${type.slug}`,
          name: type.name,
          status: "active",
          startTime: newStart,
          endTime: newStart + type.duration * 60_000,
          createdAt: changed,
          updatedAt: changed,
        })
        .onConflictDoNothing();
      await db
        .insert(sbInvitees)
        .values({
          id: `${movedId}-inv`,
          eventId: movedId,
          email,
          name: client,
          timezone: coach.timezone,
          status: "active",
          oldInviteeUri: at.invitee(eventId, inviteeId),
          answers: seededAnswers(type.slug, n),
          payment: type.price && seededPayment(type.price, eventId),
          createdAt: changed,
          updatedAt: changed,
        })
        .onConflictDoNothing();
    }
  }
}

const FOCUS_TOPICS = [
  "Preparing for a promotion conversation",
  "Delegating without losing track",
  "Finding my next role",
  "Saying no to extra projects",
];

/** Answers to the type's questions, varied by booking number (multi-select joined by "\n"). */
function seededAnswers(slug: string, n: number) {
  return questionsFor(slug)
    .filter((q) => q.required || n % 2 === 0)
    .map((q) => ({
      question: q.name,
      position: q.position,
      answer:
        q.type === "multi_select"
          ? q.answer_choices.filter((_, i) => (n + i) % 2 === 0).join("\n")
          : q.type === "phone_number"
            ? "+1 555 0100"
            : (FOCUS_TOPICS[n % FOCUS_TOPICS.length] ?? ""),
    }));
}

function seededPayment(price: { amount: number; currency: string }, eventId: string) {
  return {
    external_id: `pi_sandbox_${eventId}`,
    provider: "stripe",
    amount: price.amount,
    currency: price.currency,
    terms: "Paid in full when booking.",
    successful: true,
  };
}
