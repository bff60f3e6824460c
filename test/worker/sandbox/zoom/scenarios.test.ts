/**
 * The fake Zoom's scenarios: played for the booked client, following the meeting's own settings,
 * with the host as a participant and the reports drawn from the same timeline as the webhooks.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, control, createMeeting, deliveriesSince, tokensFor } from "./harness";

const participantEvents = (sent: { event: string; body: any }[], who: string) =>
  sent
    .filter((d) => d.body.payload.object.participant?.user_name === who)
    .map((d) => d.event.replace("meeting.participant_", ""));

async function play(settings: Record<string, unknown>, body: Record<string, unknown>) {
  const t = await tokensFor("dana@coach.test");
  const { meeting } = await createMeeting(t.access_token, { settings });
  const since = Date.now();
  const res = await control("/control/simulate", { meetingId: String(meeting.id), ...body });
  return { t, meeting, res, sent: await deliveriesSince(since) };
}

describe("fake Zoom scenarios for the booked client", () => {
  it("stores agenda and invitees and shows them in the state", async () => {
    const t = await tokensFor("dana@coach.test");
    const { meeting } = await createMeeting(t.access_token, { agenda: "kairos:bkg_state" });
    const state = await control("/control/state");
    const m = state.body.meetings.find((x: { id: string }) => x.id === String(meeting.id));
    expect(m).toMatchObject({
      agenda: "kairos:bkg_state",
      invitees: ["sam.rivera@client.test"],
      timezone: "America/New_York",
      settings: { waiting_room: true, join_before_host: false },
    });
  });

  it("plays the booked invitee by default, or the client given", async () => {
    const byDefault = await play({}, { scenario: "attended" });
    expect(byDefault.res.body.client).toEqual({
      name: "Sam Rivera",
      email: "sam.rivera@client.test",
    });
    const joinedEmails = byDefault.sent
      .filter((d) => d.event === "meeting.participant_joined")
      .map((d) => d.body.payload.object.participant.email);
    expect(joinedEmails).toEqual(["dana@coach.test", "sam.rivera@client.test"]);

    const given = await play(
      {},
      { scenario: "attended", client: { name: "Alex Kim", email: "alex@client.test" } },
    );
    expect(participantEvents(given.sent, "Alex Kim")).toContain("joined");
    expect(participantEvents(given.sent, "Sam Rivera")).toEqual([]);
  });

  it("sends the client through the waiting room when the meeting has one, straight in when not", async () => {
    const withRoom = await play({ waiting_room: true }, { scenario: "attended" });
    expect(participantEvents(withRoom.sent, "Sam Rivera")).toEqual([
      "joined_waiting_room",
      "admitted",
      "joined",
      "left",
    ]);
    const without = await play({ waiting_room: false }, { scenario: "attended" });
    expect(participantEvents(without.sent, "Sam Rivera")).toEqual(["joined", "left"]);
  });

  it("waiting room never admitted: the client waits and never joins; needs a waiting room", async () => {
    const { sent, res } = await play(
      { waiting_room: true },
      { scenario: "waiting_room_never_admitted" },
    );
    expect(res.status).toBe(200);
    expect(participantEvents(sent, "Sam Rivera")).toEqual([
      "joined_waiting_room",
      "left_waiting_room",
    ]);
    expect(sent.map((d) => d.event)).toContain("meeting.ended");
    const refused = await play(
      { waiting_room: false },
      { scenario: "waiting_room_never_admitted" },
    );
    expect(refused.res.status).toBe(400);
    expect(refused.res.body).toMatchObject({ code: 300 });
  });

  it("client waited for a late host: JBH waiting without join-before-host, joined first with it", async () => {
    const waits = await play(
      { waiting_room: false, join_before_host: false },
      { scenario: "client_waited_for_late_host" },
    );
    const events = waits.sent.map((d) => d.event);
    expect(events[0]).toBe("meeting.participant_jbh_waiting");
    expect(events.indexOf("meeting.started")).toBeGreaterThan(0);
    expect(participantEvents(waits.sent, "Sam Rivera")).toEqual([
      "jbh_waiting",
      "jbh_waiting_left",
      "joined",
      "left",
    ]);
    // participant_jbh_waiting_left carries a numeric meeting id (contract §4.5)
    const left = waits.sent.find((d) => d.event === "meeting.participant_jbh_waiting_left");
    expect(typeof left?.body.payload.object.id).toBe("number");

    const jbh = await play(
      { waiting_room: false, join_before_host: true },
      { scenario: "client_waited_for_late_host" },
    );
    const joins = jbh.sent.filter((d) => d.event === "meeting.participant_joined");
    expect(joins.map((d) => d.body.payload.object.participant.user_name)).toEqual([
      "Sam Rivera",
      "Dana Reyes",
    ]);
    const startedAt = jbh.sent.find((d) => d.event === "meeting.started")?.body.payload.object
      .start_time;
    expect(startedAt).toBe(joins[0]?.body.payload.object.participant.join_time);
  });

  it("coach never started: the host never joins; without JBH nothing starts", async () => {
    const { sent } = await play({ waiting_room: false }, { scenario: "coach_no_show" });
    expect(sent.map((d) => d.event)).toEqual([
      "meeting.participant_jbh_waiting",
      "meeting.participant_jbh_waiting_left",
    ]);
    const jbh = await play(
      { waiting_room: false, join_before_host: true },
      { scenario: "coach_no_show" },
    );
    const ids = jbh.sent
      .filter((d) => d.event === "meeting.participant_joined")
      .map((d) => d.body.payload.object.participant.id);
    expect(ids).not.toContain("zu_dana_reyes");
    expect(jbh.sent.map((d) => d.event)).toContain("meeting.started");
  });

  it("drop and re-join: two joins of the client, two report rows, new user_id per join", async () => {
    const { sent, res, t } = await play({}, { scenario: "drop_and_rejoin" });
    expect(participantEvents(sent, "Sam Rivera").filter((e) => e === "joined")).toHaveLength(2);
    const report = await api(
      t.access_token,
      `/past_meetings/${encodeURIComponent(encodeURIComponent(res.body.uuid))}/participants`,
    );
    const rows = ((await report.json()) as { participants: { name: string; user_id: string }[] })
      .participants;
    const client = rows.filter((r) => r.name === "Sam Rivera");
    expect(client).toHaveLength(2);
    expect(client[0]?.user_id).not.toBe(client[1]?.user_id);
  });

  it("guest with no email and nobody came", async () => {
    const guest = await play({}, { scenario: "guest_no_email" });
    const join = guest.sent.find(
      (d) =>
        d.event === "meeting.participant_joined" &&
        d.body.payload.object.participant.user_name === "Sam Rivera",
    );
    expect(join?.body.payload.object.participant).toMatchObject({ email: "", id: "" });
    const nobody = await play({}, { scenario: "nobody_came" });
    expect(nobody.res.body.sent).toEqual([]);
    expect(nobody.sent).toEqual([]);
  });
});

describe("fake Zoom: the host is a participant and the reports follow the timeline", () => {
  it("host row with id = host_id; host joins carry host_id; past meeting matches the events", async () => {
    const { sent, res, t } = await play({ waiting_room: false }, { scenario: "attended" });
    const hostJoin = sent.find(
      (d) =>
        d.event === "meeting.participant_joined" &&
        d.body.payload.object.participant.email === "dana@coach.test",
    );
    expect(hostJoin?.body.payload.object.participant.id).toBe("zu_dana_reyes");
    const path = encodeURIComponent(encodeURIComponent(res.body.uuid));
    const report = (await (
      await api(t.access_token, `/past_meetings/${path}/participants`)
    ).json()) as {
      participants: { id: string; name: string; duration: number }[];
    };
    expect(report.participants.find((p) => p.id === "zu_dana_reyes")).toMatchObject({
      name: "Dana Reyes",
    });
    const started = sent.find((d) => d.event === "meeting.started")?.body.payload.object.start_time;
    const ended = sent.find((d) => d.event === "meeting.ended")?.body.payload.object.end_time;
    const past = (await (await api(t.access_token, `/past_meetings/${path}`)).json()) as Record<
      string,
      unknown
    >;
    expect(past).toMatchObject({
      uuid: res.body.uuid,
      start_time: started,
      end_time: ended,
      duration: Math.round((Date.parse(ended) - Date.parse(started)) / 60_000),
      participants_count: 2,
      total_minutes: Math.round(report.participants.reduce((s, p) => s + p.duration, 0) / 60),
    });
    expect(started).not.toBe("2026-12-10T15:00:00Z"); // the actual start, not the scheduled one
  });
});

describe("fake Zoom timing", () => {
  it("plays a timeline that ends now when asked", async () => {
    const before = Date.now();
    const { sent } = await play({}, { scenario: "attended", clock: "now" });
    const last = sent.at(-1)?.body;
    expect(last.event).toBe("meeting.ended");
    expect(Math.abs(last.event_ts - before)).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(last.payload.object.end_time) - before)).toBeLessThan(60_000);
  });

  it("keeps the participants report at 404 3001 until it is published", async () => {
    await control("/control/settings", { participantsReportDelaySeconds: 1 });
    const { res, t } = await play({}, { scenario: "attended" });
    await control("/control/settings", { participantsReportDelaySeconds: 0 });
    const path = `/past_meetings/${encodeURIComponent(encodeURIComponent(res.body.uuid))}/participants`;
    const early = await api(t.access_token, path);
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ code: 3001 });
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await api(t.access_token, path)).status).toBe(200);
  });

  it("drops chosen events or all of them", async () => {
    const some = await play({}, { scenario: "attended", drop: ["meeting.ended"] });
    expect(some.res.body.dropped).toEqual(["meeting.ended"]);
    expect(some.sent.filter((d) => d.status === "lost").map((d) => d.event)).toEqual([
      "meeting.ended",
    ]);
    const all = await play({}, { scenario: "client_no_show", drop: "all" });
    expect(all.sent.every((d) => d.status === "lost")).toBe(true);
    expect(all.res.body.sent).toEqual([]);
  });

  it("retry-now sends a pending retry at once", async () => {
    const body = JSON.stringify({
      event: "meeting.started",
      event_ts: Date.now(),
      payload: {
        account_id: "za_dana",
        object: { id: "1", uuid: "retry-now", host_id: "zu_dana_reyes" },
      },
    });
    await env.DB.prepare(
      "insert into sandbox_zoom_deliveries (id, event, body, status, attempts, last_status, next_attempt_at, created_at) values ('zdl_retry', 'meeting.started', ?, 'failed', 1, 500, ?, ?)",
    )
      .bind(body, Date.now() + 20 * 60_000, Date.now())
      .run();
    const res = await control("/control/retry-now", {});
    expect(res.body.retried).toEqual([expect.objectContaining({ id: "zdl_retry", status: 204 })]);
    const row = await env.DB.prepare(
      "select status, attempts from sandbox_zoom_deliveries where id = 'zdl_retry'",
    ).first();
    expect(row).toEqual({ status: "delivered", attempts: 2 });
  });
});
