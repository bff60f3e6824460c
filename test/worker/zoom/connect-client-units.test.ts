/** The Zoom client's small rules: UUID path segments, the day's write budget, 429 instants. */
import { describe, expect, it } from "vitest";
import { zoomGateFor } from "../../../worker/upstream/gates";
import { retryAtAfter429 } from "../../../worker/upstream/policy";
import { zoomHttpError } from "../../../worker/zoom/errors";
import { meetingUuidSegment } from "../../../worker/zoom/meeting-uuid";
import {
  exhaustMeetingWrites,
  meetingWritesLeft,
  spendMeetingWrite,
} from "../../../worker/zoom/meeting-write-budget";

const memory = () => {
  const m = new Map<string, unknown>();
  return {
    get: <T>(k: string) => m.get(k) as T | undefined,
    put: (k: string, v: unknown) => m.set(k, v),
  };
};

describe("meetingUuidSegment", () => {
  it("encodes once, and twice when the UUID starts with / or contains //", () => {
    expect(meetingUuidSegment("aDYlohsHRtCd4ii1uC2+hA==")).toBe("aDYlohsHRtCd4ii1uC2%2BhA%3D%3D");
    expect(meetingUuidSegment("/ajXp112QmuoKj4854875==")).toBe(
      "%252FajXp112QmuoKj4854875%253D%253D",
    );
    expect(meetingUuidSegment("ab//cd+ef==")).toBe("ab%252F%252Fcd%252Bef%253D%253D");
    expect(meetingUuidSegment("abc+def/gh==")).toBe("abc%2Bdef%2Fgh%3D%3D");
  });
});

describe("the meeting-write budget", () => {
  const noon = Date.parse("2026-12-10T12:00:00Z");
  it("allows 100 writes a UTC day, refuses the 101st until midnight, and resets", () => {
    const store = memory();
    for (let i = 0; i < 100; i++) spendMeetingWrite(store, noon);
    expect(meetingWritesLeft(store, noon)).toBe(0);
    expect(() => spendMeetingWrite(store, noon)).toThrowError(/100 meeting changes a day/);
    try {
      spendMeetingWrite(store, noon);
    } catch (err) {
      expect((err as { details: unknown }).details).toMatchObject({
        retryAt: "2026-12-11T00:00:00.000Z",
        reason: "daily_meeting_writes",
      });
    }
    const tomorrow = Date.parse("2026-12-11T00:00:01Z");
    expect(() => spendMeetingWrite(store, tomorrow)).not.toThrow();
    expect(meetingWritesLeft(store, tomorrow)).toBe(99);
  });

  it("a 429 from Zoom on a write spends the rest of the day", () => {
    const store = memory();
    spendMeetingWrite(store, noon);
    exhaustMeetingWrites(store, noon);
    expect(meetingWritesLeft(store, noon)).toBe(0);
  });
});

describe("retryAtAfter429", () => {
  const now = Date.parse("2026-12-10T12:00:00Z");
  const none = () => 0;
  it("reads Retry-After as seconds or as an ISO date", () => {
    expect(retryAtAfter429(new Headers({ "retry-after": "30" }), now, none)).toBe(now + 30_000);
    expect(retryAtAfter429(new Headers({ "retry-after": "2026-12-11T00:00:00Z" }), now, none)).toBe(
      Date.parse("2026-12-11T00:00:00Z"),
    );
  });
  it("reads Zoom's X-RateLimit-Reset as a Unix instant, Calendly's as seconds from now", () => {
    const instant = String(now / 1000 + 1);
    expect(retryAtAfter429(new Headers({ "x-ratelimit-reset": instant }), now, none)).toBe(
      now + 1000,
    );
    expect(retryAtAfter429(new Headers({ "x-ratelimit-reset": "20" }), now, none)).toBe(
      now + 20_000,
    );
  });
});

describe("zoomGateFor", () => {
  it("puts each call in its Zoom rate-limit label's gate, writes in their own", () => {
    const gate = (method: string, path: string) => zoomGateFor({ method, path });
    expect(gate("GET", "/users/me")).toBe("zoom:light");
    expect(gate("GET", "/meetings/81234567890")).toBe("zoom:light");
    expect(gate("DELETE", "/meetings/81234567890")).toBe("zoom:light");
    expect(gate("GET", "/past_meetings/abc%3D")).toBe("zoom:light");
    expect(gate("GET", "/users/me/meetings")).toBe("zoom:medium");
    expect(gate("GET", "/past_meetings/abc%3D/participants")).toBe("zoom:medium");
    expect(gate("POST", "/users/me/meetings")).toBe("zoom:writes");
    expect(gate("PATCH", "/meetings/81234567890")).toBe("zoom:writes");
  });
});

describe("zoomHttpError", () => {
  it("maps by status and keeps Zoom's code; a paid-only refusal is a plan state", () => {
    const gone = zoomHttpError(404, '{"code":3001,"message":"Meeting does not exist: 1."}', "GET");
    expect(gone.code).toBe("not_found");
    expect(gone.details).toMatchObject({ zoomCode: 3001 });
    const plan = zoomHttpError(
      400,
      '{"code":200,"message":"Only available for paid account"}',
      "x",
    );
    expect(plan.code).toBe("forbidden");
    expect(plan.details).toMatchObject({ reason: "plan", zoomCode: 200 });
    expect(zoomHttpError(401, '{"code":124,"message":"Invalid access token."}', "x").code).toBe(
      "reconnect_required",
    );
  });
});
