/**
 * Open slots of an event type, as Calendly computes them: its schedule rules (date overrides beat
 * weekday rules) in the schedule's time zone, minus active bookings and the owner's external busy
 * times. Starts step by the type's `start_time_increment` from the start of each available interval.
 * Group event types stay open at a booked start until full.
 */
import { TZDate } from "@date-fns/tz";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Rule } from "../db/schema";
import { sbEvents, sbEventTypes, sbInvitees, sbUsers } from "../db/schema";
import { externalBusy } from "./busy";
import type { SandboxDb } from "./store";

const WDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const DAY = 86_400_000;

type User = typeof sbUsers.$inferSelect;
type EventType = typeof sbEventTypes.$inferSelect;
export type Slot = { start: number; remaining: number };

function intervalsFor(rules: Rule[], day: TZDate) {
  const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
  const override = rules.find((r) => r.type === "date" && r.date === date);
  if (override) return override.intervals;
  return rules.find((r) => r.type === "wday" && r.wday === WDAYS[day.getDay()])?.intervals ?? [];
}

const minutes = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/** The event type's own availability when it has one, else its owner's schedule. */
export const scheduleOf = (user: User, et: EventType) => ({
  rules: et.rules ?? user.rules,
  timezone: et.rulesTimezone ?? user.timezone,
});

export async function openSlots(
  db: SandboxDb,
  user: User,
  et: EventType,
  from: number,
  to: number,
): Promise<Slot[]> {
  const durationMs = et.duration * 60_000;
  const booked = await db
    .select({
      id: sbEvents.id,
      start: sbEvents.startTime,
      end: sbEvents.endTime,
      typeId: sbEvents.eventTypeId,
    })
    .from(sbEvents)
    .where(
      and(
        eq(sbEvents.userId, user.id),
        eq(sbEvents.status, "active"),
        lt(sbEvents.startTime, to + DAY),
        gt(sbEvents.endTime, from - DAY),
      ),
    );
  const groupCounts = new Map<number, number>();
  if (et.kind === "group") {
    for (const b of booked.filter((x) => x.typeId === et.id)) {
      const n = await db.$count(
        sbInvitees,
        and(eq(sbInvitees.eventId, b.id), eq(sbInvitees.status, "active")),
      );
      groupCounts.set(b.start, n);
    }
  }
  const { rules, timezone } = scheduleOf(user, et);
  const busy = externalBusy(user, from - DAY, to + DAY);
  const slots: Slot[] = [];
  for (let t = from - DAY; t < to + DAY; t += DAY) {
    const local = new TZDate(t, timezone);
    const day = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), 0, 0, timezone);
    for (const iv of intervalsFor(rules, day)) {
      for (
        let m = minutes(iv.from);
        m + et.duration <= minutes(iv.to);
        m += et.startTimeIncrement
      ) {
        const start = new TZDate(
          day.getFullYear(),
          day.getMonth(),
          day.getDate(),
          Math.floor(m / 60),
          m % 60,
          timezone,
        ).getTime();
        if (start < from || start >= to || slots.some((s) => s.start === start)) continue;
        const joined = groupCounts.get(start);
        if (joined !== undefined) {
          if (joined < et.inviteeLimit) slots.push({ start, remaining: et.inviteeLimit - joined });
          continue;
        }
        // Buffers keep time free around this booking and around every existing one.
        const before = et.beforeBuffer * 60_000;
        const after = et.afterBuffer * 60_000;
        const clash =
          booked.some((b) => b.start - after < start + durationMs && b.end + before > start) ||
          busy.some((b) => b.start < start + durationMs && b.end > start);
        if (!clash) slots.push({ start, remaining: et.inviteeLimit });
      }
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}
