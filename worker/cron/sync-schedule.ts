/**
 * When a coach's next scheduled reconcile is due. Each coach keeps a stable offset within its
 * interval (a hash of the coach id), so 10,000 hourly coaches land spread over the hour, about one
 * in twelve on each 5-minute tick, instead of all on the tick after they connected. Pure.
 */

/** FNV-1a, 32 bits: stable across deploys and runtimes, which is all the offset needs. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The coach's offset into a period, in ms: the same for every tick. */
export const syncOffsetMs = (coachId: string, periodMs: number) => stableHash(coachId) % periodMs;

/**
 * The first instant after `now` that sits on the coach's offset: in (now, now + interval]. Once a
 * coach is on its slot, consecutive syncs are exactly one interval apart.
 */
export function nextScheduledSync(coachId: string, intervalMinutes: number, now: Date): Date {
  const period = intervalMinutes * 60_000;
  const t = now.getTime();
  const sinceSlot = (((t - syncOffsetMs(coachId, period)) % period) + period) % period;
  return new Date(t - sinceSlot + period);
}
