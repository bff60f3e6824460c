/**
 * Which of a Zoom meeting's instances belong to one session. A meeting id outlives its sessions: a
 * reschedule PATCHes it to a new time (the row moves to the new session) and a coach may open it
 * hours early to test, so only instances that started within [start − 30 min, end + grace] count,
 * with their signals and report rows. An instance's start is its row's, else its earliest signal.
 */
import type { Timeline } from "./store";
import type { AttendanceRules } from "./verdicts";

const MIN = 60_000;
export const EARLY_START_MS = 30 * MIN;

export function withinSession(
  timeline: Timeline,
  session: { startsAt: number; endsAt: number },
  rules: AttendanceRules,
): Timeline {
  const startOf = new Map<string, number>();
  const earliest = (uuid: string, at: number) =>
    startOf.set(uuid, Math.min(startOf.get(uuid) ?? at, at));
  for (const i of timeline.instances) if (i.startedAt !== null) earliest(i.uuid, i.startedAt);
  for (const e of timeline.entries)
    if (!timeline.instances.some((i) => i.uuid === e.meetingUuid && i.startedAt !== null))
      earliest(e.meetingUuid, e.at);
  const from = session.startsAt - EARLY_START_MS;
  const to = session.endsAt + rules.graceMinutes * MIN;
  const inWindow = (uuid: string) => {
    const at = startOf.get(uuid);
    return at !== undefined && at >= from && at <= to;
  };
  return {
    ...timeline,
    instances: timeline.instances.filter((i) => inWindow(i.uuid)),
    entries: timeline.entries.filter((e) => inWindow(e.meetingUuid)),
  };
}
