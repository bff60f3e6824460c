/**
 * Zod shapes of the Zoom REST v2 answers Kairos reads (contract §1–§3, §5). Objects are loose (a new
 * Zoom field never breaks parsing) and only what Kairos uses is required. Meeting ids are integers
 * of 10–11+ digits: they are turned into strings here, once, so nothing downstream sees a number.
 */
import { z } from "zod";

/** A meeting id as Zoom sends it (number, or string in some events) → always a string. */
export const ZoomMeetingId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform(String);

export const ZoomTokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  /** One space-separated string. */
  scope: z.string().optional(),
  api_url: z.string().optional(),
});
export type ZoomTokenResponse = z.infer<typeof ZoomTokenResponse>;

/** `type`: 1 Basic (free), 2 Licensed, 4 unassigned, 99 none. */
export const ZoomUser = z.looseObject({
  id: z.string().min(1),
  account_id: z.string().min(1),
  email: z.string(),
  display_name: z.string().optional(),
  timezone: z.string().optional(),
  type: z.number().int(),
});
export type ZoomUser = z.infer<typeof ZoomUser>;

export type ZoomPlan = "basic" | "licensed" | "other";
/** What a host's `type` means for Kairos: Basic hosts have no past-participant API (400 `200`). */
export const zoomPlanOf = (type: number): ZoomPlan =>
  type === 1 ? "basic" : type === 2 ? "licensed" : "other";

export const ZoomMeetingSettings = z.looseObject({
  host_video: z.boolean().optional(),
  participant_video: z.boolean().optional(),
  join_before_host: z.boolean().optional(),
  jbh_time: z.number().int().optional(),
  waiting_room: z.boolean().optional(),
  approval_type: z.number().int().optional(),
  auto_recording: z.string().optional(),
  email_notification: z.boolean().optional(),
  meeting_invitees: z.array(z.looseObject({ email: z.string() })).optional(),
});

/**
 * A meeting (create, get). `uuid`, `status` and `host_id` are optional: the generated create type
 * lacks them. `start_url` carries the host's ZAK and expires after ~2 h: never store or send it.
 */
export const ZoomMeeting = z.looseObject({
  id: ZoomMeetingId,
  uuid: z.string().optional(),
  host_id: z.string().optional(),
  host_email: z.string().optional(),
  topic: z.string(),
  type: z.number().int(),
  status: z.string().optional(),
  start_time: z.string().optional(),
  duration: z.number().int().optional(),
  timezone: z.string().optional(),
  agenda: z.string().optional(),
  created_at: z.string().optional(),
  start_url: z.string().optional(),
  join_url: z.string(),
  password: z.string().optional(),
  settings: ZoomMeetingSettings.optional(),
});
export type ZoomMeeting = z.infer<typeof ZoomMeeting>;

/** A row of `GET /users/me/meetings` (no start_url, no settings). */
export const ZoomMeetingListItem = z.looseObject({
  id: ZoomMeetingId,
  uuid: z.string().optional(),
  host_id: z.string().optional(),
  topic: z.string(),
  type: z.number().int(),
  start_time: z.string().optional(),
  duration: z.number().int().optional(),
  timezone: z.string().optional(),
  agenda: z.string().optional(),
  created_at: z.string().optional(),
  join_url: z.string().optional(),
});
export type ZoomMeetingListItem = z.infer<typeof ZoomMeetingListItem>;

/** `next_page_token` is `""` when done (and expires after 15 minutes). */
export const ZoomMeetingPage = z.looseObject({
  next_page_token: z.string().optional(),
  total_records: z.number().int().optional(),
  meetings: z.array(ZoomMeetingListItem),
});

/** `GET /past_meetings/{uuid}`: `duration` in MINUTES. */
export const ZoomPastMeeting = z.looseObject({
  id: ZoomMeetingId,
  uuid: z.string(),
  host_id: z.string().optional(),
  topic: z.string().optional(),
  start_time: z.string(),
  end_time: z.string(),
  duration: z.number().int(),
  total_minutes: z.number().int().optional(),
  participants_count: z.number().int().optional(),
});
export type ZoomPastMeeting = z.infer<typeof ZoomPastMeeting>;

/** One join row of the participants report: `duration` in SECONDS; a re-join is another row. */
export const ZoomPastParticipant = z.looseObject({
  /** Zoom user id for signed-in users (the host's equals `host_id`), "" for guests. */
  id: z.string().optional(),
  name: z.string(),
  user_id: z.string().optional(),
  registrant_id: z.string().optional(),
  user_email: z.string().optional(),
  join_time: z.string(),
  leave_time: z.string(),
  duration: z.number().int(),
  status: z.string().optional(),
});
export type ZoomPastParticipant = z.infer<typeof ZoomPastParticipant>;

export const ZoomParticipantPage = z.looseObject({
  next_page_token: z.string().optional(),
  total_records: z.number().int().optional(),
  participants: z.array(ZoomPastParticipant),
});

/** What Kairos sends to create a meeting (contract §3); the fields it leaves out take Zoom's rules. */
export type ZoomMeetingCreate = {
  topic: string;
  /** 2 = scheduled; without `start_time` Zoom silently makes it instant. */
  type: 2;
  /** `yyyy-MM-ddTHH:mm:ssZ`. */
  start_time: string;
  duration: number;
  timezone: string;
  /** ≤ 2000 chars; Kairos puts a `kairos:<bookingId>` marker in it to find a lost create again. */
  agenda?: string;
  /** ≤ 10 chars `[A-Za-z0-9@-_*]`. */
  password?: string;
  settings?: {
    waiting_room?: boolean;
    join_before_host?: boolean;
    jbh_time?: 0 | 5 | 10;
    auto_recording?: "local" | "cloud" | "none";
    approval_type?: number;
    email_notification?: boolean;
    meeting_invitees?: { email: string }[];
    host_video?: boolean;
    participant_video?: boolean;
  };
};

/** A PATCH sends only the fields that changed. */
export type ZoomMeetingPatch = Partial<Omit<ZoomMeetingCreate, "type">>;
