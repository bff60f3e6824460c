/**
 * Meeting scenarios for attendance testing (contract §5). Each plays one instance of a meeting as a
 * timeline: the webhook sequence Zoom sends and, from the same timeline, the participants report and
 * the past-meeting summary. The scenarios follow the meeting's own settings: with a waiting room the
 * client goes through `participant_joined_waiting_room` → `participant_admitted` → `participant_joined`;
 * with join-before-host (and no waiting room) a client who arrives first starts the meeting, and
 * without it the client waits (`participant_jbh_waiting`). The host is a participant whose `id` is
 * the `host_id`; guests have `id: ""`.
 */
import type { MeetingSettings, Participant, szMeetings, szUsers } from "../db/zoom-schema";
import { zoomIso } from "./times";
import type { ZoomEnvelope } from "./webhooks";

export const SCENARIOS = [
  "attended",
  "client_no_show",
  "nobody_came",
  "waiting_room_never_admitted",
  "client_waited_for_late_host",
  "coach_no_show",
  "drop_and_rejoin",
  "guest_no_email",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

type Meeting = typeof szMeetings.$inferSelect;
type User = typeof szUsers.$inferSelect;
export type Client = { name: string; email: string; zoomUserId?: string };
export type Played = {
  events: ZoomEnvelope[];
  startedAt: number | null;
  endedAt: number | null;
  participants: Participant[];
};
const MIN = 60_000;

/** Why a scenario cannot be played with these settings, or null. */
export function scenarioProblem(scenario: Scenario, s: MeetingSettings): string | null {
  if (scenario === "waiting_room_never_admitted" && !s.waiting_room)
    return "This scenario needs the meeting's waiting room on.";
  return null;
}

/** Plays `scenario` for instance `uuid` with the scheduled start moved to `start`. */
export function playScenario(
  m: Meeting,
  host: User,
  uuid: string,
  scenario: Scenario,
  client: Client,
  start: number,
): Played {
  const s = m.settings;
  const waitingRoom = s.waiting_room;
  const jbh = s.join_before_host && !waitingRoom;
  const end = start + m.duration * MIN;
  const events: ZoomEnvelope[] = [];
  const rows: Participant[] = [];
  let startedAt: number | null = null;
  let endedAt: number | null = null;
  let seq = 0;

  const object = (extra: Record<string, unknown>, numericId = false) => ({
    id: numericId ? Number(m.id) : m.id,
    uuid,
    host_id: host.id,
    topic: m.topic,
    type: 2,
    start_time: zoomIso(startedAt ?? start),
    timezone: m.timezone,
    duration: m.duration,
    ...extra,
  });
  const emit = (event: string, at: number, extra: Record<string, unknown> = {}, numeric = false) =>
    events.push({
      event,
      event_ts: at + seq++, // milliseconds apart, in the order Zoom would send them
      payload: { account_id: host.accountId, object: object(extra, numeric) },
    });

  type Person = {
    name: string;
    email: string;
    id: string;
    puid: string;
    userId: number;
    since?: number;
  };
  const hostP: Person = {
    name: host.displayName,
    email: host.email,
    id: host.id,
    puid: `pu${uuid.slice(0, 6)}h`,
    userId: 16778240,
  };
  const clientP: Person = {
    name: client.name,
    email: client.email,
    id: client.zoomUserId ?? "",
    puid: `pu${uuid.slice(0, 6)}c`,
    userId: 16779264,
  };
  const who = (p: Person) => ({
    user_id: String(p.userId),
    user_name: p.name,
    id: p.id,
    participant_uuid: p.puid,
    email: p.email,
    registrant_id: "",
  });
  const row = (p: Person, from: number, to: number, status: Participant["status"]) =>
    rows.push({
      id: p.id,
      name: p.name,
      user_id: String(p.userId),
      registrant_id: "",
      user_email: p.email,
      join_time: zoomIso(from),
      leave_time: zoomIso(to),
      duration: Math.round((to - from) / 1000),
      failover: false,
      status,
      internal_user: p === hostP,
    });

  const started = (at: number) => {
    startedAt = at;
    emit("meeting.started", at, { start_time: zoomIso(at) });
  };
  const joined = (p: Person, at: number) => {
    p.since = at;
    emit("meeting.participant_joined", at, {
      participant: {
        ...who(p),
        join_time: zoomIso(at),
        participant_user_id: p.id,
        customer_key: "",
        phone_number: "",
      },
    });
  };
  const left = (p: Person, at: number, reason = "left the meeting") => {
    emit("meeting.participant_left", at, {
      participant: {
        ...who(p),
        leave_time: zoomIso(at),
        leave_reason: reason,
        participant_user_id: p.id,
        customer_key: "",
        phone_number: "",
      },
    });
    row(p, p.since ?? at, at, "in_meeting");
    p.since = undefined;
    p.userId += 1024; // Zoom numbers each join of a meeting anew
  };
  const waiting = (event: string, p: Person, at: number) =>
    emit(event, at, { participant: { ...who(p), date_time: zoomIso(at) } });
  const jbhEvent = (event: string, p: Person, at: number) =>
    emit(
      event,
      at,
      { participant: { id: p.id, user_name: p.name, customer_key: "", registrant_id: "" } },
      event === "meeting.participant_jbh_waiting_left",
    );
  const ended = (at: number) => {
    endedAt = at;
    emit("meeting.ended", at, { end_time: zoomIso(at) });
  };
  const hostStarts = (at: number) => {
    started(at);
    joined(hostP, at);
  };
  /** The client comes in while the host is there: through the waiting room when it is on. */
  const clientEnters = (at: number) => {
    if (waitingRoom) {
      waiting("meeting.participant_joined_waiting_room", clientP, at);
      waiting("meeting.participant_admitted", clientP, at + MIN);
      joined(clientP, at + MIN);
    } else joined(clientP, at);
  };
  const finish = (at: number) => {
    if (clientP.since !== undefined) left(clientP, at - MIN);
    if (hostP.since !== undefined) left(hostP, at);
    ended(at);
  };

  switch (scenario) {
    case "attended":
    case "guest_no_email":
      hostStarts(start - 2 * MIN);
      clientEnters(start + MIN);
      finish(end);
      break;
    case "client_no_show":
      hostStarts(start - MIN);
      finish(start + 15 * MIN);
      break;
    case "nobody_came":
      break; // Zoom sends nothing and keeps no report
    case "waiting_room_never_admitted":
      hostStarts(start - MIN);
      waiting("meeting.participant_joined_waiting_room", clientP, start + MIN);
      // The host ends the meeting with the client still waiting; the report lists them as waiting.
      waiting("meeting.participant_left_waiting_room", clientP, start + 20 * MIN);
      row(clientP, start + MIN, start + 20 * MIN, "in_waiting_room");
      finish(start + 20 * MIN);
      break;
    case "client_waited_for_late_host":
      if (jbh) {
        // The client's arrival starts the meeting; the host comes 12 minutes late.
        started(start - MIN);
        jbhEvent("meeting.participant_jbh_joined", clientP, start - MIN);
        joined(clientP, start - MIN);
        joined(hostP, start + 12 * MIN);
      } else {
        jbhEvent("meeting.participant_jbh_waiting", clientP, start - MIN);
        hostStarts(start + 12 * MIN);
        jbhEvent("meeting.participant_jbh_waiting_left", clientP, start + 12 * MIN);
        clientEnters(start + 12 * MIN);
      }
      finish(end);
      break;
    case "coach_no_show":
      if (jbh) {
        // Started by the client, never by the host: `meeting.started` alone does not mean the host came.
        started(start);
        jbhEvent("meeting.participant_jbh_joined", clientP, start);
        joined(clientP, start);
        left(clientP, start + 20 * MIN);
        ended(start + 20 * MIN);
      } else {
        jbhEvent("meeting.participant_jbh_waiting", clientP, start);
        jbhEvent("meeting.participant_jbh_waiting_left", clientP, start + 20 * MIN);
      }
      break;
    case "drop_and_rejoin":
      hostStarts(start - MIN);
      clientEnters(start + MIN);
      left(clientP, start + 10 * MIN, "left the meeting. Reason : Network connection error.");
      clientEnters(start + 11 * MIN);
      finish(end);
      break;
  }
  return { events, startedAt, endedAt, participants: rows };
}

/** How long after the scheduled start the scenario's last event comes (to play it "now"). */
export function scenarioSpan(m: Meeting, host: User, scenario: Scenario, client: Client) {
  const played = playScenario(m, host, "span", scenario, client, 0);
  return played.events.reduce((max, e) => Math.max(max, e.event_ts), 0);
}
