/**
 * Meeting scenarios for attendance testing (contract §5): each produces Zoom's webhook sequence with
 * plausible timestamps around the scheduled start, and the past-meeting participant rows.
 */
import type { Participant, szMeetings, szUsers } from "../db/zoom-schema";
import type { ZoomEnvelope } from "./webhooks";

export const SCENARIOS = [
  "attended",
  "client_no_show",
  "client_waited_for_late_host",
  "coach_no_show",
  "drop_and_rejoin",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

type Meeting = typeof szMeetings.$inferSelect;
type User = typeof szUsers.$inferSelect;
const MIN = 60_000;

export function scenarioEvents(
  m: Meeting,
  host: User,
  scenario: Scenario,
  client = { name: "Sam Rivera", email: "sam.rivera@client.test" },
) {
  const start = m.startTime;
  const end = start + m.duration * MIN;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const object = (extra: Record<string, unknown> = {}) => ({
    id: m.id,
    uuid: m.uuid,
    host_id: host.id,
    topic: m.topic,
    type: 2,
    start_time: iso(start),
    timezone: m.timezone,
    duration: m.duration,
    ...extra,
  });
  const ev = (event: string, at: number, extra: Record<string, unknown> = {}): ZoomEnvelope => ({
    event,
    event_ts: at,
    payload: { account_id: host.accountId, object: object(extra) },
  });
  const person = (
    n: string,
    email: string,
    userId: string,
    key: "join_time" | "leave_time" | "date_time",
    at: number,
  ) => ({
    participant: {
      user_id: userId,
      user_name: n,
      id: "",
      participant_uuid: `pu-${userId}`,
      email,
      [key]: iso(at),
    },
  });
  const hostIn = (at: number) => person(host.displayName, host.email, "16778240", "join_time", at);
  const clientJoin = (at: number) => person(client.name, client.email, "16779264", "join_time", at);
  const clientLeave = (at: number) =>
    person(client.name, client.email, "16779264", "leave_time", at);
  const started = (at: number) => ev("meeting.started", at, { start_time: iso(at) });
  const ended = (at: number) => ev("meeting.ended", at, { end_time: iso(at) });
  const row = (at: number, until: number): Participant => ({
    id: "",
    user_id: "16779264",
    name: client.name,
    user_email: client.email,
    join_time: iso(at),
    leave_time: iso(until),
    duration: Math.round((until - at) / 1000),
    status: "in_meeting",
  });

  switch (scenario) {
    case "attended":
      return {
        events: [
          started(start - MIN),
          ev("meeting.participant_joined", start - MIN, hostIn(start - MIN)),
          ev("meeting.participant_joined", start + MIN, clientJoin(start + MIN)),
          ev("meeting.participant_left", end, clientLeave(end)),
          ended(end),
        ],
        participants: [row(start + MIN, end)],
      };
    case "client_no_show":
      return {
        events: [
          started(start),
          ev("meeting.participant_joined", start, hostIn(start)),
          ended(start + 15 * MIN),
        ],
        participants: [],
      };
    case "client_waited_for_late_host":
      return {
        events: [
          ev("meeting.participant_jbh_waiting", start - MIN, {
            participant: { user_name: client.name },
          }),
          started(start + 12 * MIN),
          ev("meeting.participant_joined", start + 12 * MIN, clientJoin(start + 12 * MIN)),
          ev("meeting.participant_left", end, clientLeave(end)),
          ended(end),
        ],
        participants: [row(start + 12 * MIN, end)],
      };
    case "coach_no_show":
      return {
        events: [
          ev("meeting.participant_jbh_waiting", start, { participant: { user_name: client.name } }),
          ev("meeting.participant_jbh_waiting_left", start + 20 * MIN, {
            participant: { user_name: client.name },
          }),
        ],
        participants: [],
      };
    case "drop_and_rejoin":
      return {
        events: [
          started(start),
          ev("meeting.participant_joined", start, hostIn(start)),
          ev("meeting.participant_joined", start + MIN, clientJoin(start + MIN)),
          ev("meeting.participant_left", start + 10 * MIN, {
            ...clientLeave(start + 10 * MIN),
            leave_reason: "left the meeting. Reason : Network connection error.",
          }),
          ev("meeting.participant_joined", start + 12 * MIN, clientJoin(start + 12 * MIN)),
          ev("meeting.participant_left", end, clientLeave(end)),
          ended(end),
        ],
        participants: [row(start + MIN, start + 10 * MIN), row(start + 12 * MIN, end)],
      };
  }
}
