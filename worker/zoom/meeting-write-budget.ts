/**
 * Zoom's 100 meeting creates + updates per user per day, reset at 00:00 UTC (contract §3), counted
 * by Kairos before Zoom does: the 101st write of a day is refused here, without a request. Every
 * write that leaves counts (one whose reply was lost may well have counted at Zoom); a 429 from
 * Zoom on a write (other apps of the same user share the limit) spends what is left of the day.
 * The count lives in the coach's CoachGuard storage, so it survives restarts.
 */
import { AppError } from "../lib/errors";

export const ZOOM_MEETING_WRITES_PER_DAY = 100;
const KEY = "zoom:meeting-writes";

type Count = { day: string; count: number };
type Store = { get<T>(key: string): T | undefined; put(key: string, value: unknown): void };

const dayOf = (now: number) => new Date(now).toISOString().slice(0, 10);
const nextMidnightUtc = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
};

function today(store: Store, now: number): Count {
  const stored = store.get<Count>(KEY);
  return stored?.day === dayOf(now) ? stored : { day: dayOf(now), count: 0 };
}

/** Takes one write from today's budget, or throws `rate_limited` until midnight UTC. */
export function spendMeetingWrite(store: Store, now = Date.now()) {
  const count = today(store, now);
  if (count.count >= ZOOM_MEETING_WRITES_PER_DAY) {
    const retryAt = new Date(nextMidnightUtc(now)).toISOString();
    throw new AppError(
      "rate_limited",
      "Zoom allows 100 meeting changes a day; Kairos will continue after midnight UTC.",
      {
        details: { upstream: "zoom", retryAt, reason: "daily_meeting_writes" },
        retryAfterSeconds: Math.ceil((nextMidnightUtc(now) - now) / 1000),
      },
    );
  }
  store.put(KEY, { ...count, count: count.count + 1 });
}

/** Zoom said the day's writes are spent: refuse locally until midnight UTC. */
export function exhaustMeetingWrites(store: Store, now = Date.now()) {
  store.put(KEY, { day: dayOf(now), count: ZOOM_MEETING_WRITES_PER_DAY });
}

/** What is left today (for status and tests). */
export function meetingWritesLeft(store: Store, now = Date.now()) {
  return ZOOM_MEETING_WRITES_PER_DAY - today(store, now).count;
}
