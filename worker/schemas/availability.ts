/** Availability rules as Calendly keeps them (wall-clock "HH:MM" in the schedule's time zone). */
import { z } from "@hono/zod-openapi";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use HH:MM (24-hour).");

export const Interval = z
  .object({ from: hhmm, to: hhmm })
  .refine((i) => i.from < i.to, { message: "A block must end after it starts.", path: ["to"] });

/** The buffer lengths Calendly accepts before and after a booking, in minutes (contract §2.2). */
export const BUFFER_MINUTES = [0, 5, 10, 15, 30, 45, 60, 90, 120, 150, 180] as const;
export const isBufferMinutes = (n: number) => (BUFFER_MINUTES as readonly number[]).includes(n);

export const WEEKDAYS = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;

const noOverlap = (intervals: { from: string; to: string }[]) =>
  [...intervals]
    .sort((a, b) => a.from.localeCompare(b.from))
    .every((iv, i, all) => i === 0 || (all[i - 1]?.to ?? "") <= iv.from);

export const Rule = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("wday"), wday: z.enum(WEEKDAYS), intervals: z.array(Interval) }),
    z.object({ type: z.literal("date"), date: z.iso.date(), intervals: z.array(Interval) }),
  ])
  .refine((r) => noOverlap(r.intervals), {
    message: "Blocks on the same day must not overlap.",
    path: ["intervals"],
  });
export type Rule = z.infer<typeof Rule>;

export const Schedule = z
  .object({
    timeZone: z.string().min(1).max(64),
    rules: z.array(Rule).max(400),
  })
  .openapi("AvailabilitySchedule");

export const ScheduleView = Schedule.extend({
  eventType: z.object({ id: z.string(), name: z.string(), durationMinutes: z.number().int() }),
}).openapi("EventTypeSchedule");
