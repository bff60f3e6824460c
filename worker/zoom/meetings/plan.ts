/**
 * What the Zoom meeting of a booking should look like, as pure functions: the create body (topic,
 * start, duration, time zone, agenda with the `kairos:<bookingId>` marker, the event type's room
 * settings), the PATCH that brings a held meeting to the booking's current time (only the fields
 * that changed), and the look-up of a meeting by its marker after a create whose reply was lost.
 */
import type { ZoomMeetingCreate, ZoomMeetingListItem, ZoomMeetingPatch } from "../schemas";

export type PasscodeMode = "generate" | "fixed" | "none";

/** An event type's conferencing choice (no row = none, with these room defaults). */
export type Conferencing = {
  provider: "zoom" | "none";
  waitingRoom: boolean;
  joinBeforeHost: boolean;
  passcodeMode: PasscodeMode;
  passcode: string | null;
  /** When Zoom was chosen: only bookings made since get a new meeting. */
  zoomSince: Date | null;
};

export const DEFAULT_CONFERENCING: Conferencing = {
  provider: "none",
  waitingRoom: true,
  joinBeforeHost: false,
  passcodeMode: "generate",
  passcode: null,
  zoomSince: null,
};

/**
 * Whether a booking made at `bookedAt` gets a new meeting: the type asks for Zoom, and the booking
 * came after it did (turning Zoom on does not rewrite bookings that already have their details).
 */
export const wantsMeeting = (c: Conferencing, bookedAt: Date) =>
  c.provider === "zoom" && c.zoomSince !== null && bookedAt >= c.zoomSince;

/** Zoom's passcode rule (contract §3): up to 10 of `[A-Za-z0-9@-_*]`. */
export const PASSCODE_PATTERN = /^[A-Za-z0-9@\-_*]{1,10}$/;

/** The meeting a booking needs now: the session it serves and what Zoom should hold. */
export type MeetingPlan = {
  sessionId: string;
  startsAt: Date;
  durationMinutes: number;
  topic: string;
  timezone: string;
  eventName: string;
  /** One-to-one bookings name their client (Zoom lists them as invitees; no mail is sent). */
  inviteeEmails: string[];
  conferencing: Conferencing;
};

export type PlanInput = {
  session: { id: string; name: string; startsAt: Date; endsAt: Date };
  clientNames: string[];
  inviteeEmails: string[];
  group: boolean;
  coachTimeZone: string;
  conferencing: Conferencing;
};

const TOPIC_MAX = 200;

export function planMeeting(p: PlanInput): MeetingPlan {
  const client = p.group ? undefined : p.clientNames[0];
  const topic = (client ? `${p.session.name} with ${client}` : p.session.name).slice(0, TOPIC_MAX);
  return {
    sessionId: p.session.id,
    startsAt: p.session.startsAt,
    durationMinutes: Math.max(
      1,
      Math.round((p.session.endsAt.getTime() - p.session.startsAt.getTime()) / 60_000),
    ),
    topic,
    timezone: p.coachTimeZone,
    eventName: p.session.name,
    inviteeEmails: p.group ? [] : p.inviteeEmails.slice(0, 1),
    conferencing: p.conferencing,
  };
}

/** Zoom's `yyyy-MM-ddTHH:mm:ssZ` (no milliseconds). */
export const zoomStartTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The agenda marker that finds a meeting again when the create's reply was lost. */
export const agendaMarker = (bookingId: string) => `kairos:${bookingId}`;

const AGENDA_MAX = 2000;

export function agendaFor(plan: MeetingPlan, bookingId: string): string {
  const marker = agendaMarker(bookingId);
  const text = `${plan.eventName}, booked through Kairos.`;
  return `${text.slice(0, AGENDA_MAX - marker.length - 2)}\n\n${marker}`;
}

/** 8 characters of Zoom's passcode alphabet (letters and digits only: easy to read aloud). */
export function generatePasscode(random = crypto.getRandomValues(new Uint8Array(8))): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  return Array.from(random, (b) => alphabet[b % alphabet.length]).join("");
}

function passcodeFor(c: Conferencing): string | undefined {
  if (c.passcodeMode === "none") return undefined; // Zoom's account rules decide
  if (c.passcodeMode === "fixed" && c.passcode && PASSCODE_PATTERN.test(c.passcode))
    return c.passcode;
  return generatePasscode();
}

export function createBody(plan: MeetingPlan, bookingId: string): ZoomMeetingCreate {
  const c = plan.conferencing;
  const password = passcodeFor(c);
  return {
    topic: plan.topic,
    type: 2,
    start_time: zoomStartTime(plan.startsAt),
    duration: plan.durationMinutes,
    timezone: plan.timezone,
    agenda: agendaFor(plan, bookingId),
    ...(password ? { password } : {}),
    settings: {
      waiting_room: c.waitingRoom,
      // Zoom turns join-before-host off in a waiting room anyway; say so rather than be overruled.
      join_before_host: c.joinBeforeHost && !c.waitingRoom,
      jbh_time: 0,
      approval_type: 2,
      auto_recording: "none",
      email_notification: false,
      meeting_invitees: plan.inviteeEmails.map((email) => ({ email })),
      host_video: true,
      participant_video: true,
    },
  };
}

/** What Zoom holds of a meeting, as Kairos last wrote or read it. */
export type HeldMeeting = {
  startsAt: Date | null;
  durationMinutes: number | null;
  topic: string | null;
};

/** The PATCH that brings the held meeting to the plan, or null when nothing changed. */
export function meetingPatch(held: HeldMeeting, plan: MeetingPlan): ZoomMeetingPatch | null {
  const patch: ZoomMeetingPatch = {};
  if (held.startsAt?.getTime() !== plan.startsAt.getTime()) {
    patch.start_time = zoomStartTime(plan.startsAt);
    patch.timezone = plan.timezone;
  }
  if (held.durationMinutes !== plan.durationMinutes) patch.duration = plan.durationMinutes;
  if (held.topic !== plan.topic) patch.topic = plan.topic;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The held state of a meeting Zoom listed or answered with. */
export function heldOf(m: { start_time?: string; duration?: number; topic?: string }): HeldMeeting {
  const at = m.start_time ? Date.parse(m.start_time) : Number.NaN;
  return {
    startsAt: Number.isNaN(at) ? null : new Date(at),
    durationMinutes: m.duration ?? null,
    topic: m.topic ?? null,
  };
}

/** The listed meeting whose agenda carries the booking's marker as a whole word. */
export function findByMarker(
  items: ZoomMeetingListItem[],
  bookingId: string,
): ZoomMeetingListItem | undefined {
  const marker = agendaMarker(bookingId);
  return items.find((m) => (m.agenda ?? "").split(/\s+/).some((word) => word === marker));
}
