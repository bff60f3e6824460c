/**
 * Time in the meeting from joins and leaves. Zoom's order is not guaranteed and deliveries repeat,
 * so entries are sorted by their own times: a join opens an interval unless one is open, a leave
 * closes the open one (a leave with nothing open is a lost join, ignored), an interval still open
 * is closed by the meeting's end. Re-joins are separate intervals; time is the measure of their
 * union, so an interval counted twice (webhook and report) is counted once.
 */
export type Interval = { from: number; to: number };

export function intervalsFromEvents(
  events: { kind: "joined" | "left"; at: number }[],
  closeAt: number,
): Interval[] {
  // On a tie the leave goes first: a drop and re-join stamped in the same second are two intervals.
  const sorted = [...events].sort((a, b) => a.at - b.at || (a.kind === "left" ? -1 : 1));
  const out: Interval[] = [];
  let open: number | null = null;
  for (const e of sorted) {
    if (e.kind === "joined") open ??= e.at;
    else if (open !== null) {
      out.push({ from: open, to: e.at });
      open = null;
    }
  }
  if (open !== null && closeAt > open) out.push({ from: open, to: closeAt });
  return out;
}

/** Total milliseconds covered by the intervals, overlaps counted once. */
export function unionMs(intervals: Interval[]): number {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const i of sorted) {
    if (i.to <= end) continue;
    total += i.to - Math.max(i.from, end);
    end = i.to;
  }
  return total;
}
