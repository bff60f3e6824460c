/**
 * The attendance timeline's vocabulary, shared by the store (what a webhook or report row becomes),
 * the verdict engine and the API. One entry is one signal about one person in one meeting instance.
 */

/** What an entry says: Zoom's event names shortened, plus the report's rows. */
export const TIMELINE_KINDS = [
  "meeting_started",
  "meeting_ended",
  "joined",
  "left",
  "waiting_room_joined",
  "waiting_room_left",
  "admitted",
  "jbh_waiting",
  "jbh_waiting_left",
  "jbh_joined",
  /** One row of GET /past_meetings/{uuid}/participants: a whole interval (at → leaveAt). */
  "report_row",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type Who = {
  /** Zoom user id of a signed-in participant (the host's is `host_id`); "" for guests. */
  zoomUserId: string;
  name: string;
  email: string;
  registrantId: string;
  /** Stable per participant and meeting when Zoom sends it; "" otherwise. */
  participantUuid: string;
};

export type TimelineEntry = {
  kind: TimelineKind;
  meetingUuid: string;
  /** Milliseconds since epoch: the event's own time (join_time, leave_time, date_time, start…). */
  at: number;
  who: Who | null;
  /** report_row only: when that join ended, and whether it was in the meeting or the waiting room. */
  leaveAt?: number;
  reportStatus?: "in_meeting" | "in_waiting_room";
};

/** Zoom's webhook event names → timeline kinds (the ones attendance reads). */
export const ZOOM_EVENT_KINDS: Record<string, TimelineKind> = {
  "meeting.started": "meeting_started",
  "meeting.ended": "meeting_ended",
  "meeting.participant_joined": "joined",
  "meeting.participant_left": "left",
  "meeting.participant_joined_waiting_room": "waiting_room_joined",
  "meeting.participant_left_waiting_room": "waiting_room_left",
  "meeting.participant_admitted": "admitted",
  "meeting.participant_jbh_waiting": "jbh_waiting",
  "meeting.participant_jbh_waiting_left": "jbh_waiting_left",
  "meeting.participant_jbh_joined": "jbh_joined",
};
