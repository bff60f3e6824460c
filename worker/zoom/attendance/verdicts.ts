/**
 * The attendance verdict engine (contract §5): pure, clock injected. From one session's timeline
 * (webhook signals and participants-report rows, any order, duplicates allowed) it says who was
 * there, for how long, and what that means:
 *
 * - host present: a join by `host_id`, or `meeting.started` when no client started it (JBH);
 * - a client arrived: joined, or waited (waiting room, join-before-host) — waiting is never a no-show;
 * - late: the first arrival after start + `lateMinutes`;
 * - proposed no-show: once final, the host was there and the client never arrived (and no unknown
 *   guest who might be them came); confirmed by the coach (or auto-confirm), or marked at Calendly
 *   → `no_show`; canceled sessions and invitees are never no-shows; no evidence → `unknown`;
 * - coach no-show: final, a client (or guest) arrived and the host never came.
 *
 * Final = every instance that started has ended, or the scheduled end + `graceMinutes` passed
 * (`meeting.ended` can be lost). Until then arrivals show, absences stay `unknown`.
 */
import { type Interval, intervalsFromEvents, unionMs } from "./intervals";
import { type InviteeRef, type Match, matcher } from "./matching";
import type { TimelineEntry } from "./timeline";

export const VERDICTS = ["attended", "late", "no_show_proposed", "no_show", "unknown"] as const;
export type Verdict = (typeof VERDICTS)[number];
export type Decision = "confirmed" | "dismissed";

export type AttendanceRules = { graceMinutes: number; lateMinutes: number };
export const DEFAULT_RULES: AttendanceRules = { graceMinutes: 15, lateMinutes: 10 };

export type InviteeFacts = InviteeRef & {
  canceled: boolean;
  /** Calendly already holds a no-show mark for them (whoever made it). */
  noShowAtCalendly: boolean;
  decision: Decision | null;
};
export type InstanceFacts = { uuid: string; startedAt: number | null; endedAt: number | null };

export type AttendanceInput = {
  now: number;
  session: { startsAt: number; endsAt: number; canceled: boolean };
  hostZoomUserId: string | null;
  invitees: InviteeFacts[];
  instances: InstanceFacts[];
  entries: TimelineEntry[];
  rules: AttendanceRules;
};

export type PersonTime = { firstJoinAt: number | null; minutes: number };
export type InviteeAttendance = PersonTime & {
  inviteeId: string;
  email: string;
  matchedBy: "email" | "name" | "none";
  /** Waited in the waiting room or for the host (join before host). */
  waited: boolean;
  verdict: Verdict;
};
export type Attendance = {
  final: boolean;
  evaluatedAt: number;
  host: PersonTime & { present: boolean; late: boolean; noShow: boolean };
  invitees: InviteeAttendance[];
  /** People nobody could match to the booking: shown to the coach, never auto-matched. */
  guests: (PersonTime & { name: string; email: string })[];
};

const MIN = 60_000;
const WAITING = new Set(["waiting_room_joined", "admitted", "jbh_waiting", "jbh_joined"]);

/** Everything known about one person (host, invitee or guest), per meeting instance. */
type Person = {
  joins: Map<string, { kind: "joined" | "left"; at: number }[]>;
  reported: Map<string, Interval[]>;
  waitedAt: number[];
  name: string;
  email: string;
};
const newPerson = (): Person => ({
  joins: new Map(),
  reported: new Map(),
  waitedAt: [],
  name: "",
  email: "",
});
const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => m.set(k, [...(m.get(k) ?? []), v]);

/** When each instance ended as far as we know (the instance row, else its `meeting.ended`). */
function instanceEnds(input: AttendanceInput) {
  // Any signal from an instance means it happened; only its end (row or event) closes it.
  const seen = new Set<string>();
  const ended = new Map<string, number>();
  for (const i of input.instances) {
    if (i.startedAt !== null) seen.add(i.uuid);
    if (i.endedAt !== null) ended.set(i.uuid, i.endedAt);
  }
  for (const e of input.entries) {
    if (e.kind !== "meeting_ended") seen.add(e.meetingUuid);
    else if (!ended.has(e.meetingUuid)) ended.set(e.meetingUuid, e.at);
  }
  return { seen, ended };
}

function isFinal(input: AttendanceInput, seen: Set<string>, ended: Map<string, number>) {
  const { now, session, rules } = input;
  if (now >= session.endsAt + rules.graceMinutes * MIN) return true;
  const all = new Set([...seen, ...ended.keys()]);
  return all.size > 0 && [...all].every((uuid) => ended.has(uuid));
}

function timeOf(
  p: Person,
  closeAt: (uuid: string) => number,
): PersonTime & { arrivedAt: number | null } {
  const intervals: Interval[] = [];
  const uuids = new Set([...p.joins.keys(), ...p.reported.keys()]);
  for (const uuid of uuids) {
    // The report is Zoom's own record of the instance: it wins over the webhooks we happened to get.
    const reported = p.reported.get(uuid);
    intervals.push(...(reported ?? intervalsFromEvents(p.joins.get(uuid) ?? [], closeAt(uuid))));
  }
  const firstJoin = intervals.length ? Math.min(...intervals.map((i) => i.from)) : null;
  const arrivals = [...p.waitedAt, ...(firstJoin === null ? [] : [firstJoin])];
  const arrivedAt = arrivals.length ? Math.min(...arrivals) : null;
  return { firstJoinAt: arrivedAt, minutes: Math.round(unionMs(intervals) / MIN), arrivedAt };
}

export function evaluateAttendance(input: AttendanceInput): Attendance {
  const { now, session, rules } = input;
  const { seen, ended } = instanceEnds(input);
  const final = isFinal(input, seen, ended);
  // Open intervals close at the instance's end; without one, at the scheduled end once final.
  const closeAt = (uuid: string) => ended.get(uuid) ?? (final ? session.endsAt : now);

  const knownEmails = new Map<string, string>();
  for (const e of input.entries)
    if (e.who?.zoomUserId && e.who.email) knownEmails.set(e.who.zoomUserId, e.who.email);
  const match = matcher(input.hostZoomUserId, input.invitees, knownEmails);

  const host = newPerson();
  const invitees = new Map<string, Person & { by: Set<"email" | "name"> }>();
  const guests = new Map<string, Person>();
  const personFor = (m: Match): Person => {
    if (m.kind === "host") return host;
    if (m.kind === "guest") {
      const g = guests.get(m.key) ?? newPerson();
      guests.set(m.key, g);
      return g;
    }
    const p = invitees.get(m.inviteeId) ?? { ...newPerson(), by: new Set() };
    p.by.add(m.by);
    invitees.set(m.inviteeId, p);
    return p;
  };

  let startedAt: number | null = null;
  let clientStartedIt = false;
  for (const e of input.entries) {
    if (e.kind === "meeting_started") startedAt = Math.min(startedAt ?? e.at, e.at);
    if (e.kind === "jbh_joined") clientStartedIt = true;
    if (!e.who) continue;
    const p = personFor(match(e.who));
    p.name ||= e.who.name;
    p.email ||= e.who.email;
    if (e.kind === "joined" || e.kind === "left")
      push(p.joins, e.meetingUuid, { kind: e.kind, at: e.at });
    else if (WAITING.has(e.kind)) p.waitedAt.push(e.at);
    else if (e.kind === "report_row" && e.leaveAt !== undefined) {
      if (e.reportStatus === "in_waiting_room") p.waitedAt.push(e.at);
      else push(p.reported, e.meetingUuid, { from: e.at, to: e.leaveAt });
    }
  }
  for (const i of input.instances)
    if (i.startedAt !== null) startedAt = Math.min(startedAt ?? i.startedAt, i.startedAt);

  const hostTime = timeOf(host, closeAt);
  // Only `meeting.started` (participant events lost): the host started it, unless a client did (JBH).
  const hostPresent = hostTime.arrivedAt !== null || (startedAt !== null && !clientStartedIt);
  const hostFirst = hostTime.arrivedAt ?? (hostPresent ? startedAt : null);
  const guestTimes = [...guests.values()].map((g) => ({ ...timeOf(g, closeAt), g }));
  const guestCame = guestTimes.some((t) => t.arrivedAt !== null);
  const lateAfter = session.startsAt + rules.lateMinutes * MIN;

  const inviteeResults = input.invitees.map((inv): InviteeAttendance => {
    const p = invitees.get(inv.id);
    const t = p ? timeOf(p, closeAt) : { firstJoinAt: null, minutes: 0, arrivedAt: null };
    const matchedBy = p?.by.has("email") ? "email" : p?.by.has("name") ? "name" : "none";
    const waited = (p?.waitedAt.length ?? 0) > 0;
    const verdict = ((): Verdict => {
      if (inv.noShowAtCalendly || (inv.decision === "confirmed" && !session.canceled))
        return "no_show";
      if (t.arrivedAt !== null) return t.arrivedAt > lateAfter ? "late" : "attended";
      if (session.canceled || inv.canceled || !final || inv.decision === "dismissed")
        return "unknown";
      return hostPresent && !guestCame ? "no_show_proposed" : "unknown";
    })();
    const { firstJoinAt, minutes } = t;
    return {
      inviteeId: inv.id,
      email: inv.email,
      matchedBy,
      waited,
      firstJoinAt,
      minutes,
      verdict,
    };
  });
  const someoneArrived = guestCame || inviteeResults.some((i) => i.firstJoinAt !== null);

  return {
    final,
    evaluatedAt: now,
    host: {
      present: hostPresent,
      firstJoinAt: hostFirst,
      minutes: hostTime.minutes,
      late: hostPresent && hostFirst !== null && hostFirst > lateAfter,
      noShow: final && !session.canceled && !hostPresent && someoneArrived,
    },
    invitees: inviteeResults,
    guests: guestTimes
      .filter((t) => t.arrivedAt !== null)
      .map(({ g, firstJoinAt, minutes }) => ({
        name: g.name,
        email: g.email,
        firstJoinAt,
        minutes,
      })),
  };
}
