import { describe, expect, it } from "vitest";
import { AppError } from "../../../../worker/lib/errors";
import {
  agendaMarker,
  createBody,
  DEFAULT_CONFERENCING,
  findByMarker,
  generatePasscode,
  meetingPatch,
  PASSCODE_PATTERN,
  planMeeting,
  wantsMeeting,
} from "../../../../worker/zoom/meetings/plan";
import { failureOf, JOB_MAX_RETRIES } from "../../../../worker/zoom/meetings/retry-policy";

const session = {
  id: "ses_1",
  name: "Coaching Session",
  startsAt: new Date("2026-12-10T15:00:00.000Z"),
  endsAt: new Date("2026-12-10T16:00:00.000Z"),
};
const zoom = { ...DEFAULT_CONFERENCING, provider: "zoom" as const, zoomSince: new Date(0) };
const solo = planMeeting({
  session,
  clientNames: ["Sam Rivera"],
  inviteeEmails: ["sam@client.test"],
  group: false,
  coachTimeZone: "America/New_York",
  conferencing: zoom,
});

describe("the meeting a booking needs", () => {
  it("names the client, keeps Zoom's time format and marks the agenda", () => {
    const body = createBody(solo, "inv_abc");
    expect(body).toMatchObject({
      topic: "Coaching Session with Sam Rivera",
      type: 2,
      start_time: "2026-12-10T15:00:00Z",
      duration: 60,
      timezone: "America/New_York",
      settings: {
        waiting_room: true,
        join_before_host: false,
        email_notification: false,
        meeting_invitees: [{ email: "sam@client.test" }],
      },
    });
    expect(body.agenda).toContain("kairos:inv_abc");
    expect(body.password).toMatch(PASSCODE_PATTERN);
  });

  it("gives a group event one meeting named after the event, with no invitee list", () => {
    const group = planMeeting({
      session,
      clientNames: ["A", "B"],
      inviteeEmails: ["a@x.test", "b@x.test"],
      group: true,
      coachTimeZone: "UTC",
      conferencing: zoom,
    });
    const body = createBody(group, "ses_1");
    expect(body.topic).toBe("Coaching Session");
    expect(body.settings?.meeting_invitees).toEqual([]);
  });

  it("follows the coach's room settings and passcode choice", () => {
    const open = { ...solo, conferencing: { ...zoom, waitingRoom: false, joinBeforeHost: true } };
    expect(createBody(open, "x").settings).toMatchObject({
      waiting_room: false,
      join_before_host: true,
    });
    const fixed = {
      ...solo,
      conferencing: { ...zoom, passcodeMode: "fixed" as const, passcode: "abc123" },
    };
    expect(createBody(fixed, "x").password).toBe("abc123");
    const none = { ...solo, conferencing: { ...zoom, passcodeMode: "none" as const } };
    expect(createBody(none, "x")).not.toHaveProperty("password");
    expect(generatePasscode()).not.toBe(generatePasscode());
  });

  it("gives a new meeting only to bookings made since Zoom was chosen", () => {
    const since = new Date("2026-12-01T10:00:00.000Z");
    const chosen = { ...zoom, zoomSince: since };
    expect(wantsMeeting(chosen, new Date("2026-12-01T10:00:00.000Z"))).toBe(true);
    expect(wantsMeeting(chosen, new Date("2026-12-01T09:59:59.000Z"))).toBe(false);
    expect(wantsMeeting({ ...chosen, provider: "none" }, new Date("2026-12-02"))).toBe(false);
    expect(wantsMeeting(DEFAULT_CONFERENCING, new Date("2026-12-02"))).toBe(false);
  });

  it("PATCHes only what changed, and nothing when nothing did", () => {
    const held = { startsAt: session.startsAt, durationMinutes: 60, topic: solo.topic };
    expect(meetingPatch(held, solo)).toBeNull();
    const moved = { ...solo, startsAt: new Date("2026-12-11T09:30:00.000Z") };
    expect(meetingPatch(held, moved)).toEqual({
      start_time: "2026-12-11T09:30:00Z",
      timezone: "America/New_York",
    });
  });

  it("finds a meeting by its marker as a whole word only", () => {
    const items = [
      { id: "1", topic: "a", type: 2, agenda: "x\n\nkairos:inv_abcd" },
      { id: "2", topic: "b", type: 2, agenda: `x\n\n${agendaMarker("inv_abc")}` },
    ];
    expect(findByMarker(items, "inv_abc")?.id).toBe("2");
    expect(findByMarker(items, "inv_zzz")).toBeUndefined();
  });
});

describe("retrying a failed sync", () => {
  const now = new Date("2026-12-03T12:00:00.000Z");
  it("backs off on its own schedule, or later when Zoom named a time", () => {
    const down = new AppError("upstream_unavailable", "Zoom is not responding right now.");
    expect(failureOf(down, 1, now).retryAt?.toISOString()).toBe("2026-12-03T12:01:00.000Z");
    expect(failureOf(down, 3, now).retryAt?.toISOString()).toBe("2026-12-03T12:05:00.000Z");
    const limited = new AppError("rate_limited", "Zoom asks Kairos to wait.", {
      details: { retryAt: "2026-12-04T00:00:00.000Z" },
    });
    expect(failureOf(limited, 1, now)).toMatchObject({
      transient: true,
      retryAt: new Date("2026-12-04T00:00:00.000Z"),
    });
  });

  it("stops after the last delivery, and never retries what only the coach can fix", () => {
    const down = new AppError("upstream_unavailable", "Zoom is not responding right now.");
    expect(failureOf(down, JOB_MAX_RETRIES + 1, now)).toMatchObject({
      transient: true,
      retryAt: null,
    });
    const dead = new AppError("reconnect_required", "Your Zoom connection needs to be renewed.");
    expect(failureOf(dead, 1, now)).toMatchObject({ transient: false, retryAt: null });
    expect(failureOf(dead, 1, now).message).toMatch(/reconnect/i);
  });
});
