/**
 * Zoom's payloads → timeline entries (pure). A webhook's time is the event's own (`join_time`,
 * `leave_time`, `date_time`, `start_time`/`end_time`), falling back to `event_ts` where Zoom sends
 * none (join-before-host events). `object.id` is a string in most events and a number in some:
 * normalized to a string. Events attendance does not read give null.
 */
import { z } from "zod";
import { type TimelineEntry, type Who, ZOOM_EVENT_KINDS } from "./timeline";

const str = z.union([z.string(), z.number()]).transform(String).optional().catch(undefined);
const Participant = z.looseObject({
  id: str,
  user_id: str,
  user_name: str,
  email: str,
  registrant_id: str,
  participant_uuid: str,
  join_time: str,
  leave_time: str,
  date_time: str,
});
export const AttendanceEnvelope = z.looseObject({
  event: z.string(),
  event_ts: z.number(),
  payload: z.looseObject({
    account_id: str,
    object: z.looseObject({
      id: str,
      uuid: z.string().min(1),
      host_id: str,
      start_time: str,
      end_time: str,
      duration: z.number().optional().catch(undefined),
      participant: Participant.optional(),
    }),
  }),
});
export type AttendanceEnvelope = z.infer<typeof AttendanceEnvelope>;

const ms = (iso: string | undefined) => {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? t : null;
};

function who(p: z.infer<typeof Participant>): Who {
  return {
    zoomUserId: p.id ?? "",
    name: p.user_name ?? "",
    email: p.email ?? "",
    registrantId: p.registrant_id ?? "",
    participantUuid: p.participant_uuid ?? "",
  };
}

export type ZoomSignal = TimelineEntry & {
  meetingId: string;
  hostId: string;
  accountId: string;
  /** The meeting's scheduled length in minutes (every event carries it). */
  durationMinutes: number;
};

/** The timeline entry one Zoom webhook is, or null when attendance does not read it. */
export function entryFromWebhook(body: unknown): ZoomSignal | null {
  const parsed = AttendanceEnvelope.safeParse(body);
  if (!parsed.success) return null;
  const { event, event_ts, payload } = parsed.data;
  const kind = ZOOM_EVENT_KINDS[event];
  if (!kind) return null;
  const o = payload.object;
  const p = o.participant;
  const own =
    kind === "meeting_started"
      ? o.start_time
      : kind === "meeting_ended"
        ? o.end_time
        : kind === "joined"
          ? p?.join_time
          : kind === "left"
            ? p?.leave_time
            : p?.date_time;
  return {
    kind,
    meetingUuid: o.uuid,
    meetingId: o.id ?? "",
    hostId: o.host_id ?? "",
    accountId: payload.account_id ?? "",
    durationMinutes: o.duration ?? 60,
    at: ms(own) ?? event_ts,
    who: p ? who(p) : null,
  };
}

export const ReportParticipant = z.looseObject({
  id: str,
  name: str,
  user_id: str,
  registrant_id: str,
  user_email: str,
  join_time: z.string(),
  leave_time: z.string(),
  status: z.enum(["in_meeting", "in_waiting_room"]).catch("in_meeting"),
});
export type ReportParticipant = z.infer<typeof ReportParticipant>;

/** The participants report's rows as timeline entries (rows with unreadable times are skipped). */
export function entriesFromReport(meetingUuid: string, rows: ReportParticipant[]): TimelineEntry[] {
  return rows.flatMap((r) => {
    const at = ms(r.join_time);
    const leaveAt = ms(r.leave_time);
    if (at === null || leaveAt === null) return [];
    const person: Who = {
      zoomUserId: r.id ?? "",
      name: r.name ?? "",
      email: r.user_email ?? "",
      registrantId: r.registrant_id ?? "",
      participantUuid: "",
    };
    return [{ kind: "report_row", meetingUuid, at, leaveAt, reportStatus: r.status, who: person }];
  });
}
