/**
 * Timelines for the verdict tests, played by the sandbox's own scenarios (the fake Zoom's truthful
 * webhook sequences and participants report), so the engine is tested against what Zoom sends.
 */
import type { MeetingSettings } from "../../../../worker/sandbox/db/zoom-schema";
import { playScenario, type Scenario } from "../../../../worker/sandbox/zoom/scenarios";
import { entriesFromReport, entryFromWebhook } from "../../../../worker/zoom/attendance/from-zoom";
import type { TimelineEntry } from "../../../../worker/zoom/attendance/timeline";
import {
  type AttendanceInput,
  DEFAULT_RULES,
  type InviteeFacts,
} from "../../../../worker/zoom/attendance/verdicts";

export const MIN = 60_000;
export const START = Date.UTC(2026, 11, 10, 15, 0, 0);
export const END = START + 60 * MIN;
export const HOST_ID = "30R7kT7bTIKSNUFEuH_Qlg";
export const SAM: InviteeFacts = {
  id: "inv_sam",
  email: "sam@example.net",
  name: "Sam Rivera",
  canceled: false,
  noShowAtCalendly: false,
  decision: null,
};

const settings = (s: Partial<MeetingSettings>): MeetingSettings => ({
  waiting_room: false,
  join_before_host: false,
  jbh_time: 0,
  approval_type: 2,
  email_notification: false,
  auto_recording: "none",
  host_video: false,
  participant_video: false,
  meeting_invitees: [{ email: SAM.email }],
  ...s,
});

export type Played = {
  /** The webhooks as Zoom sends them (JSON bodies), in Zoom's order. */
  envelopes: unknown[];
  webhooks: TimelineEntry[];
  report: TimelineEntry[];
  startedAt: number | null;
  endedAt: number | null;
  uuid: string;
};

export function play(
  scenario: Scenario,
  s: Partial<MeetingSettings> = {},
  client = { name: SAM.name, email: SAM.email },
  uuid = "aDYlohsHRtCd4ii1uC2+hA==",
  start = START,
  duration = 60,
): Played {
  const meeting = {
    id: "85746065432",
    uuid,
    userId: HOST_ID,
    topic: "Coaching session: Sam Rivera",
    startTime: start,
    duration,
    timezone: "America/New_York",
    agenda: "kairos:bk_1",
    password: "abc",
    settings: settings(s),
    status: "waiting" as const,
    createdAt: START - 86_400_000,
  };
  const host = {
    id: HOST_ID,
    accountId: "Cx3wERazSgup7ZWRHQM8-w",
    email: "dana@coach.test",
    displayName: "Dana Reyes",
    timezone: "America/New_York",
    type: 2,
  };
  const played = playScenario(meeting, host, uuid, scenario, client, start);
  const envelopes = played.events.map((e) => JSON.parse(JSON.stringify(e)) as unknown);
  const webhooks = played.events.flatMap((e) => {
    const entry = entryFromWebhook(JSON.parse(JSON.stringify(e)));
    return entry ? [entry] : [];
  });
  return {
    envelopes,
    webhooks,
    report: entriesFromReport(uuid, played.participants),
    startedAt: played.startedAt,
    endedAt: played.endedAt,
    uuid,
  };
}

export function input(
  entries: TimelineEntry[],
  over: Partial<AttendanceInput> = {},
): AttendanceInput {
  return {
    now: END + 60 * MIN,
    session: { startsAt: START, endsAt: END, canceled: false },
    hostZoomUserId: HOST_ID,
    invitees: [SAM],
    instances: [],
    entries,
    rules: DEFAULT_RULES,
    ...over,
  };
}
