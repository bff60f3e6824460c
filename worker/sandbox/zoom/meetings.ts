/**
 * Meeting bodies as Zoom reads them (contract §3): create and update fields, `settings` merged over
 * the account defaults (a waiting room turns join-before-host off), `start_time` read in the
 * meeting's `timezone` when it has no `Z`, and the meeting object Zoom answers with. Bad input is a
 * 400 code 300 naming the fields, never a 500.
 */
import { z } from "zod";
import { isTimeZone } from "../../lib/validation";
import type { MeetingSettings, szMeetings, szUsers } from "../db/zoom-schema";
import { parseStartTime, zoomIso } from "./times";

type Meeting = typeof szMeetings.$inferSelect;
type User = typeof szUsers.$inferSelect;

export const DEFAULT_SETTINGS: MeetingSettings = {
  waiting_room: true,
  join_before_host: false,
  jbh_time: 0,
  approval_type: 2,
  email_notification: true,
  auto_recording: "none",
  host_video: false,
  participant_video: false,
  meeting_invitees: [],
};

const Settings = z.looseObject({
  waiting_room: z.boolean().optional(),
  join_before_host: z.boolean().optional(),
  jbh_time: z.union([z.literal(0), z.literal(5), z.literal(10)]).optional(),
  approval_type: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  email_notification: z.boolean().optional(),
  auto_recording: z.enum(["local", "cloud", "none"]).optional(),
  host_video: z.boolean().optional(),
  participant_video: z.boolean().optional(),
  meeting_invitees: z.array(z.object({ email: z.email() })).optional(),
});
const Fields = z.looseObject({
  topic: z.string().min(1).max(200),
  type: z.union([z.literal(1), z.literal(2)]).optional(),
  start_time: z.string(),
  duration: z.number().int().min(1).max(1440),
  timezone: z.string().refine(isTimeZone, "Invalid timezone."),
  agenda: z.string().max(2000),
  password: z.string().regex(/^[A-Za-z0-9@\-_*]{1,10}$/),
  settings: Settings,
});
export const CreateBody = Fields.partial().required({ topic: true });
export const UpdateBody = Fields.partial().omit({ type: true });
export type Issue = { field: string; message: string };

export const issuesOf = (e: z.ZodError): Issue[] =>
  e.issues.map((i) => ({ field: i.path.join("."), message: i.message }));

/** Settings after merging a request's over the current ones (Zoom: waiting room ⇒ no JBH). */
export function mergeSettings(
  current: MeetingSettings,
  patch: z.infer<typeof Settings> | undefined,
): MeetingSettings {
  const next = { ...DEFAULT_SETTINGS, ...current };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof MeetingSettings)[]) {
    if (patch?.[key] !== undefined) Object.assign(next, { [key]: patch[key] });
  }
  if (next.waiting_room) next.join_before_host = false;
  return next;
}

/** The instant of a request's start_time in `timeZone`, or an issue. */
export function startTimeOf(value: string, timeZone: string): number | Issue {
  const t = parseStartTime(value, timeZone);
  return t === null
    ? { field: "start_time", message: "Invalid start_time: use yyyy-MM-ddTHH:mm:ss[Z]." }
    : t;
}

export function meetingJson(env: Env, m: Meeting, host: User) {
  return {
    uuid: m.uuid,
    id: Number(m.id),
    host_id: host.id,
    host_email: host.email,
    topic: m.topic,
    type: 2,
    status: "waiting",
    start_time: zoomIso(m.startTime),
    duration: m.duration,
    timezone: m.timezone,
    agenda: m.agenda,
    created_at: zoomIso(m.createdAt),
    // The host's ZAK: good for about two hours (contract §3: never store it).
    start_url: `${env.APP_URL}/sandbox/zoom/s/${m.id}?zak=${crypto.randomUUID()}&expires=${Date.now() + 2 * 3_600_000}`,
    join_url: `${env.APP_URL}/sandbox/zoom/j/${m.id}?pwd=${m.password}`,
    password: m.password,
    h323_password: m.password,
    pstn_password: m.password,
    encrypted_password: m.password,
    settings: { ...DEFAULT_SETTINGS, ...m.settings },
    pre_schedule: false,
  };
}

/** An item of `GET /users/me/meetings`. */
export const listItem = (env: Env, m: Meeting, host: User) => ({
  uuid: m.uuid,
  id: Number(m.id),
  host_id: host.id,
  topic: m.topic,
  type: 2,
  start_time: zoomIso(m.startTime),
  duration: m.duration,
  timezone: m.timezone,
  agenda: m.agenda,
  created_at: zoomIso(m.createdAt),
  join_url: `${env.APP_URL}/sandbox/zoom/j/${m.id}?pwd=${m.password}`,
});
