/**
 * The participants-report read (the job after the end): Zoom's report repairs lost webhooks; 404
 * 3001 (not published yet) tries later with backoff, then gives up; a plan without reports is
 * "unavailable"; and the due scan claims due instances in bulk, once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { AppError } from "../../../../worker/lib/errors";
import type { Participant } from "../../../../worker/sandbox/db/zoom-schema";
import { playScenario } from "../../../../worker/sandbox/zoom/scenarios";
import { applyAttendanceEvent } from "../../../../worker/zoom/attendance/apply";
import { fanOutDueAttendanceReports } from "../../../../worker/zoom/attendance/due-scans";
import { runReadReport } from "../../../../worker/zoom/attendance/read-report";
import { loadTimeline } from "../../../../worker/zoom/attendance/store";
import { evaluateAttendance } from "../../../../worker/zoom/attendance/verdicts";
import type { ZoomClient } from "../../../../worker/zoom/client";
import { END, input, MIN, play, START } from "./played";

let seq = 0;
async function coach() {
  const id = `coa_rr${++seq}`;
  await env.DB.prepare(
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, 'C', 'c@coach.test', 'UTC', ?)",
  )
    .bind(id, `https://api.calendly.test/users/rr${seq}`, `rr-${seq}`)
    .run();
  return { db: createDb(env.DB), coachId: id };
}

const notYet = () => new AppError("not_found", "Zoom: not found.", { details: { zoomCode: 3001 } });
const planLimit = () =>
  new AppError("forbidden", "Your Zoom plan does not include this.", {
    details: { zoomCode: 200, reason: "plan" },
  });

/** A ZoomClient answering the report from a played timeline (or failing as told). */
function zoomStub(rows: Participant[], fail?: () => AppError) {
  const calls: string[] = [];
  const client = {
    pastMeeting: async (uuid: string) => {
      calls.push(`past:${uuid}`);
      if (fail) throw fail();
      return {
        uuid,
        start_time: new Date(START - MIN).toISOString(),
        end_time: new Date(START + 15 * MIN).toISOString(),
      };
    },
    pastMeetingParticipants: async (uuid: string, pageToken?: string) => {
      calls.push(`participants:${uuid}:${pageToken ?? ""}`);
      if (fail) throw fail();
      const half = Math.ceil(rows.length / 2);
      return pageToken
        ? { items: rows.slice(half), nextPageToken: null, totalRecords: rows.length }
        : { items: rows.slice(0, half), nextPageToken: "p2", totalRecords: rows.length };
    },
  } as unknown as ZoomClient;
  return { client, calls };
}

describe("runReadReport", () => {
  it("every webhook but the first lost: the report (two pages) repairs the timeline", async () => {
    const scope = await coach();
    const p = play("drop_and_rejoin");
    const first = p.envelopes[0] as { payload: { object: { uuid: string } } };
    await applyAttendanceEvent(scope, first); // meeting.started only
    const meeting = { id: "85746065432" };
    const rows = playScenario(
      {
        id: meeting.id,
        uuid: p.uuid,
        userId: "30R7kT7bTIKSNUFEuH_Qlg",
        topic: "t",
        startTime: START,
        duration: 60,
        timezone: "UTC",
        agenda: "",
        password: "",
        status: "waiting",
        createdAt: 0,
        settings: {
          waiting_room: false,
          join_before_host: false,
          jbh_time: 0,
          approval_type: 2,
          email_notification: false,
          auto_recording: "none",
          host_video: false,
          participant_video: false,
          meeting_invitees: [],
        },
      },
      {
        id: "30R7kT7bTIKSNUFEuH_Qlg",
        accountId: "a",
        email: "dana@coach.test",
        displayName: "Dana Reyes",
        timezone: "UTC",
        type: 2,
      },
      p.uuid,
      "drop_and_rejoin",
      { name: "Sam Rivera", email: "sam@example.net" },
      START,
    ).participants;
    const { client, calls } = zoomStub(rows);
    expect(await runReadReport(scope, client, p.uuid, END + 20 * MIN)).toBe("fetched");
    expect(calls).toEqual([
      `past:${p.uuid}`,
      `participants:${p.uuid}:`,
      `participants:${p.uuid}:p2`,
    ]);
    const t = await loadTimeline(scope, [meeting.id]);
    const a = evaluateAttendance(input(t.entries, { instances: t.instances }));
    expect(a.invitees[0]).toMatchObject({ verdict: "attended", minutes: 57 });
    // Read again (a retried job): nothing new is stored, nothing is asked of Zoom.
    expect(await runReadReport(scope, client, p.uuid, END + 30 * MIN)).toBe("fetched");
    expect(calls).toHaveLength(3);
    expect((await loadTimeline(scope, [meeting.id])).entries).toHaveLength(t.entries.length);
  });

  it("404 3001 (not published yet): tried later with backoff, then given up", async () => {
    const scope = await coach();
    const p = play("client_no_show", {}, undefined, "uuid-not-yet==");
    await applyAttendanceEvent(scope, p.envelopes[0]);
    const { client } = zoomStub([], notYet);
    const due = async () =>
      await env.DB.prepare(
        "select report_state as s, report_due_at as d, report_attempts as n from zoom_meeting_instances where uuid = ?",
      )
        .bind(p.uuid)
        .first<{ s: string; d: number | null; n: number }>();
    const now = END;
    expect(await runReadReport(scope, client, p.uuid, now)).toBe("not_yet");
    expect(await due()).toEqual({ s: "pending", d: now + 5 * MIN, n: 1 });
    expect(await runReadReport(scope, client, p.uuid, now)).toBe("not_yet");
    expect((await due())?.d).toBe(now + 10 * MIN);
    for (let i = 0; i < 2; i++) await runReadReport(scope, client, p.uuid, now);
    expect(await runReadReport(scope, client, p.uuid, now)).toBe("gone");
    expect(await due()).toEqual({ s: "gone", d: null, n: 5 });
  });

  it("a plan without reports: unavailable, never asked again", async () => {
    const scope = await coach();
    const p = play("nobody_came", {}, undefined, "uuid-plan==");
    await applyAttendanceEvent(
      scope,
      play("client_no_show", {}, undefined, "uuid-plan==").envelopes[0],
    );
    const { client, calls } = zoomStub([], planLimit);
    expect(await runReadReport(scope, client, p.uuid, END)).toBe("unavailable");
    expect(await runReadReport(scope, client, p.uuid, END)).toBe("unavailable");
    expect(calls).toHaveLength(1);
  });
});

describe("fanOutDueAttendanceReports", () => {
  it("claims the due instances once, in bulk, and enqueues one job each", async () => {
    const scope = await coach();
    for (let i = 0; i < 3; i++) {
      const p = play("client_no_show", {}, undefined, `uuid-due-${i}==`);
      for (const e of p.envelopes) await applyAttendanceEvent(scope, e);
    }
    const sent: unknown[] = [];
    const jobs = {
      send: async (b: unknown) => void sent.push(b),
      sendBatch: async (b: { body: unknown }[]) => void sent.push(...b.map((m) => m.body)),
    };
    const e = { ...env, JOBS: jobs } as unknown as Env;
    // meeting.ended was delivered: due 2 minutes after the end (start + 15 min).
    expect(await fanOutDueAttendanceReports(e, new Date(START + 16 * MIN))).toBe(0);
    expect(await fanOutDueAttendanceReports(e, new Date(START + 18 * MIN))).toBeGreaterThanOrEqual(
      3,
    );
    const mine = sent.filter((j) => (j as { coachId: string }).coachId === scope.coachId);
    expect(mine).toHaveLength(3);
    expect(mine[0]).toMatchObject({ type: "attendance.read_report", coachId: scope.coachId });
    sent.length = 0;
    // Claimed (a lease): the next tick does not send them again.
    await fanOutDueAttendanceReports(e, new Date(START + 19 * MIN));
    expect(sent.filter((j) => (j as { coachId: string }).coachId === scope.coachId)).toHaveLength(
      0,
    );
  });

  it("meeting.ended lost: due after the scheduled end + grace", async () => {
    const scope = await coach();
    const p = play("client_no_show", {}, undefined, "uuid-noend==");
    for (const e of p.envelopes)
      if ((e as { event: string }).event !== "meeting.ended") await applyAttendanceEvent(scope, e);
    const row = await env.DB.prepare(
      "select report_due_at as d, ended_at as e from zoom_meeting_instances where uuid = ?",
    )
      .bind(p.uuid)
      .first<{ d: number; e: number | null }>();
    expect(row?.e).toBeNull();
    // The first signal (start − 1 min) + 60 min scheduled + 15 min.
    expect(row?.d).toBe(START - MIN + 60 * MIN + 15 * MIN);
  });
});
