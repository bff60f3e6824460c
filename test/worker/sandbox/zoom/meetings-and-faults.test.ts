/**
 * The fake Zoom's meeting endpoints and events (list with next_page_token, meeting.updated with
 * old_object, meeting.deleted with its schedule, time zones, 400 code 300 for bad input) and its
 * switches for failure (faults for the API and the token endpoint, label rate limits, daily reset).
 */
import { describe, expect, it } from "vitest";
import {
  api,
  authCode,
  control,
  createMeeting,
  deliveriesSince,
  REDIRECT,
  tokenCall,
  tokensFor,
  verifier,
} from "./harness";

const settled = () => new Promise((r) => setTimeout(r, 300)); // waitUntil deliveries

describe("fake Zoom meetings", () => {
  it("lists the host's meetings in pages, so a lost create is found by its agenda marker", async () => {
    const t = await tokensFor("lee@coach.test");
    await control("/control/settings", { qpsLimit: 1000 });
    for (let i = 0; i < 3; i++)
      await createMeeting(t.access_token, { agenda: `kairos:bkg_list_${i}` });
    const first = (await (await api(t.access_token, "/users/me/meetings?page_size=2")).json()) as {
      next_page_token: string;
      meetings: { agenda: string }[];
      total_records: number;
    };
    expect(first.meetings).toHaveLength(2);
    expect(first.next_page_token).not.toBe("");
    const rest = (await (
      await api(
        t.access_token,
        `/users/me/meetings?page_size=2&next_page_token=${encodeURIComponent(first.next_page_token)}`,
      )
    ).json()) as { next_page_token: string; meetings: { agenda: string }[] };
    expect(rest.next_page_token).toBe("");
    const agendas = [...first.meetings, ...rest.meetings].map((m) => m.agenda);
    expect(agendas).toEqual(
      expect.arrayContaining(["kairos:bkg_list_0", "kairos:bkg_list_1", "kairos:bkg_list_2"]),
    );
    const bad = await api(t.access_token, "/users/me/meetings?next_page_token=forged");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 300 });
    await control("/control/settings", { qpsLimit: null });
  });

  it("PATCH fires meeting.updated with old_object and honours timezone and settings", async () => {
    const t = await tokensFor("dana@coach.test");
    const { meeting } = await createMeeting(t.access_token);
    const since = Date.now();
    const res = await api(t.access_token, `/meetings/${meeting.id}`, {
      method: "PATCH",
      body: JSON.stringify({
        start_time: "2026-12-11T09:30:00", // no Z: read in the new timezone
        timezone: "Europe/Berlin",
        settings: { waiting_room: false, join_before_host: true },
      }),
    });
    expect(res.status).toBe(204);
    const got = (await (await api(t.access_token, `/meetings/${meeting.id}`)).json()) as Record<
      string,
      any
    >;
    expect(got.start_time).toBe("2026-12-11T08:30:00Z");
    expect(got.timezone).toBe("Europe/Berlin");
    expect(got.settings).toMatchObject({ waiting_room: false, join_before_host: true });
    await settled();
    const updated = (await deliveriesSince(since)).find((d) => d.event === "meeting.updated");
    expect(updated?.body.payload.object).toMatchObject({
      id: meeting.id,
      start_time: "2026-12-11T08:30:00Z",
      timezone: "Europe/Berlin",
    });
    expect(updated?.body.payload.old_object).toMatchObject({
      id: meeting.id,
      start_time: "2026-12-10T15:00:00Z",
      timezone: "America/New_York",
    });
  });

  it("reads a start_time without Z in the meeting's timezone at create", async () => {
    const t = await tokensFor("dana@coach.test");
    const { meeting } = await createMeeting(t.access_token, { start_time: "2026-07-01T10:00:00" });
    expect(meeting.start_time).toBe("2026-07-01T14:00:00Z"); // New York in summer: UTC−4
  });

  it("DELETE fires meeting.deleted with the schedule and a numeric id", async () => {
    const t = await tokensFor("dana@coach.test");
    const { meeting } = await createMeeting(t.access_token);
    const since = Date.now();
    expect(
      (await api(t.access_token, `/meetings/${meeting.id}`, { method: "DELETE" })).status,
    ).toBe(204);
    await settled();
    const deleted = (await deliveriesSince(since)).find((d) => d.event === "meeting.deleted");
    expect(deleted?.body.payload.object).toEqual({
      uuid: meeting.uuid,
      id: meeting.id,
      host_id: "zu_dana_reyes",
      topic: "Coaching Session",
      type: 2,
      start_time: "2026-12-10T15:00:00Z",
      duration: 60,
      timezone: "America/New_York",
    });
  });

  it("invalid JSON or a bad start_time answers 400 code 300 in Zoom's shape", async () => {
    const t = await tokensFor("dana@coach.test");
    const notJson = await api(t.access_token, "/users/me/meetings", {
      method: "POST",
      body: "{nope",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 300, message: "Validation Failed." });
    for (const start_time of ["tomorrow", "2026-02-31T10:00:00Z", "2026-12-10T15:00:00+02:00"]) {
      const res = await createMeeting(t.access_token, { start_time });
      expect(res.status).toBe(400);
      expect(res.meeting).toMatchObject({ code: 300 });
    }
    const { meeting } = await createMeeting(t.access_token);
    const patch = await api(t.access_token, `/meetings/${meeting.id}`, {
      method: "PATCH",
      body: "[",
    });
    expect(await patch.json()).toMatchObject({ code: 300 });
  });
});

describe("fake Zoom faults and rate limits", () => {
  it("a 5xx burst, then normal answers", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/faults", { kind: "5xx", count: 2 });
    expect((await api(t.access_token, "/users/me")).status).toBe(500);
    expect((await api(t.access_token, "/users/me")).status).toBe(500);
    expect((await api(t.access_token, "/users/me")).status).toBe(200);
  });

  it("429 per second with X-RateLimit headers, and daily with Zoom's daily message", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/faults", { kind: "429_qps", count: 1 });
    const qps = await api(t.access_token, "/users/me");
    expect(qps.status).toBe(429);
    expect(qps.headers.get("x-ratelimit-category")).toBe("Light");
    expect(qps.headers.get("x-ratelimit-type")).toBe("QPS");
    expect(qps.headers.get("x-ratelimit-limit")).toBeTruthy();
    expect(qps.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(qps.headers.get("x-ratelimit-reset")).toMatch(/^\d+$/);
    await control("/control/faults", { kind: "429_daily", count: 1 });
    const daily = await api(t.access_token, "/users/me");
    expect(daily.headers.get("x-ratelimit-type")).toBe("Daily-limit");
    expect(daily.headers.get("retry-after")).toMatch(/T00:00:00Z$/);
    expect(((await daily.json()) as { message: string }).message).toContain(
      "maximum daily rate limit",
    );
  });

  it("limits by label and plan: a Free host gets 2 Medium calls per second", async () => {
    const t = await tokensFor("lee@coach.test");
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api(t.access_token, "/users/me/meetings").then((r) => r.status),
      ),
    );
    const limited = statuses.filter((s) => s === 429).length;
    // All five may straddle a second boundary: at most 2 + 2 get through.
    expect(limited).toBeGreaterThanOrEqual(1);
  });

  it("a timeout holds the answer back, then answers normally", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/faults", { kind: "timeout", count: 1, delayMs: 400 });
    const began = Date.now();
    const res = await api(t.access_token, "/users/me");
    expect(Date.now() - began).toBeGreaterThanOrEqual(390);
    expect(res.status).toBe(200);
  });

  it("the API's lost reply: the meeting exists though the caller saw no answer", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/faults", { kind: "lost_reply", count: 1, delayMs: 0 });
    const lost = await api(t.access_token, "/users/me/meetings", {
      method: "POST",
      body: JSON.stringify({
        topic: "Lost",
        type: 2,
        start_time: "2026-12-10T15:00:00Z",
        agenda: "kairos:bkg_lost",
      }),
    });
    expect(lost.status).toBe(504);
    const list = (await (await api(t.access_token, "/users/me/meetings?page_size=300")).json()) as {
      meetings: { agenda: string }[];
    };
    expect(list.meetings.filter((m) => m.agenda === "kairos:bkg_lost")).toHaveLength(1);
  });

  it("the token endpoint's lost reply spends the refresh token", async () => {
    const t = await tokensFor("dana@coach.test");
    await control("/control/faults", { kind: "lost_reply", target: "token", count: 1, delayMs: 0 });
    const lost = await tokenCall({ grant_type: "refresh_token", refresh_token: t.refresh_token });
    expect(lost.status).toBe(504);
    const retry = await tokenCall({ grant_type: "refresh_token", refresh_token: t.refresh_token });
    expect(await retry.json()).toEqual({ reason: "Invalid Token!", error: "invalid_grant" });
  });

  it("a token-endpoint 5xx leaves the code usable", async () => {
    await control("/control/faults", { kind: "5xx", target: "token", count: 1 });
    const code = await authCode("dana@coach.test");
    const form = {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    };
    expect((await tokenCall(form)).status).toBe(500);
    expect((await tokenCall(form)).status).toBe(200);
  });

  it("the daily counter resets through the control", async () => {
    const t = await tokensFor("lee@coach.test");
    await control("/control/settings", { qpsLimit: 1000 });
    for (let i = 0; i < 100; i++) await createMeeting(t.access_token);
    expect((await createMeeting(t.access_token)).status).toBe(429);
    const reset = await control("/control/rate-limits/reset", {});
    expect(reset.body.ok).toBe(true);
    expect((await createMeeting(t.access_token)).status).toBe(201);
    await control("/control/settings", { qpsLimit: null });
  });
});
