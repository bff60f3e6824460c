/**
 * The attendance API through the whole stack: a sandbox coach's real (past) session, its Zoom
 * meeting's webhooks applied to the timeline, GET /api/sessions/{id}/attendance, and confirm /
 * dismiss — confirm marks the invitee no-show at the sandbox Calendly.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import type { Scenario } from "../../../../worker/sandbox/zoom/scenarios";
import { applyAttendanceEvent } from "../../../../worker/zoom/attendance/apply";
import { sandboxSignIn } from "../../helpers/sandbox-sign-in";
import { api } from "../../helpers/sign-in";
import { syncWindow } from "../../helpers/sync-run";
import { HOST_ID, play } from "./played";

type Attendance = {
  final: boolean;
  host: { present: boolean; noShow: boolean; minutes: number };
  invitees: { inviteeId: string; verdict: string; minutes: number; waited: boolean }[];
};

const signedIn = new Map<
  string,
  Promise<{ id: string; jar: Awaited<ReturnType<typeof sandboxSignIn>>["jar"] }>
>();

/** A sandbox coach signed in, with their sessions imported (90 days back). */
function coachWithSessions(email: string) {
  let c = signedIn.get(email);
  if (!c) {
    c = (async () => {
      const { jar } = await sandboxSignIn(email);
      const row = await env.DB.prepare("select id from coaches where email = ?")
        .bind(email)
        .first<{ id: string }>();
      if (!row) throw new Error("no coach");
      await syncWindow(
        { db: createDb(env.DB), coachId: row.id },
        { start: new Date(Date.now() - 90 * 86_400_000), end: new Date() },
      );
      return { id: row.id, jar };
    })();
    signedIn.set(email, c);
  }
  return c;
}
let meetingSeq = 0;

/** A past session of Dana's with one active invitee, given a Zoom meeting (id) of its own. */
async function pastSessionWithMeeting() {
  const { id: coachId, jar } = await coachWithSessions("dana@coach.test");
  const row = await env.DB.prepare(
    `select s.id, s.starts_at as startsAt, s.ends_at as endsAt, i.id as inviteeId, i.name, i.email
       from sessions s join invitees i on i.session_id = s.id
      where s.coach_id = ? and s.status = 'active' and i.status = 'active' and i.no_show_uri is null
        and s.ends_at < ? and s.id not in (select session_id from zoom_meetings)
      order by s.starts_at desc limit 1`,
  )
    .bind(coachId, Date.now() - 3_600_000)
    .first<{
      id: string;
      startsAt: number;
      endsAt: number;
      inviteeId: string;
      name: string;
      email: string;
    }>();
  if (!row) throw new Error("no past session left");
  await env.DB.prepare(
    `insert into provider_connections (id, coach_id, provider, external_user_id, status)
     values ('con_zoom_att', ?, 'zoom', ?, 'connected') on conflict do nothing`,
  )
    .bind(coachId, HOST_ID)
    .run();
  const meetingId = String(85746065000 + ++meetingSeq);
  await env.DB.prepare(
    `insert into zoom_meetings (id, coach_id, meeting_key, session_id, zoom_meeting_id, status)
     values (?, ?, ?, ?, ?, 'ready')`,
  )
    .bind(`zmt_att${meetingSeq}`, coachId, `session:${row.id}`, row.id, meetingId)
    .run();
  return { coachId, jar, meetingId, ...row };
}

async function playFor(
  s: Awaited<ReturnType<typeof pastSessionWithMeeting>>,
  scenario: Scenario,
  drop: string[] = [],
) {
  const duration = Math.round((s.endsAt - s.startsAt) / 60_000);
  const p = play(
    scenario,
    {},
    { name: s.name, email: s.email },
    `uuid-${s.meetingId}==`,
    s.startsAt,
    duration,
  );
  const scope = { db: createDb(env.DB), coachId: s.coachId };
  for (const e of p.envelopes) {
    const body = e as { event: string; payload: { object: { id: string | number } } };
    if (drop.includes(body.event)) continue;
    body.payload.object.id = s.meetingId;
    await applyAttendanceEvent(scope, body);
    await applyAttendanceEvent(scope, body); // a duplicate delivery changes nothing
  }
  return p;
}

const attendanceOf = async (s: Awaited<ReturnType<typeof pastSessionWithMeeting>>) => {
  const res = await api(s.jar, `/api/sessions/${s.id}/attendance`);
  expect(res.status).toBe(200);
  return (await res.json()) as Attendance;
};
const post = (s: Awaited<ReturnType<typeof pastSessionWithMeeting>>, action: string) =>
  api(s.jar, `/api/sessions/${s.id}/attendance/${s.inviteeId}/${action}`, { method: "POST" });

describe("GET /api/sessions/{id}/attendance", { timeout: 90_000 }, () => {
  it("client never came → proposed; confirm marks the no-show at the sandbox Calendly", async () => {
    const s = await pastSessionWithMeeting();
    await playFor(s, "client_no_show");
    const before = await attendanceOf(s);
    expect(before.final).toBe(true);
    expect(before.host.present).toBe(true);
    expect(before.invitees).toEqual([
      expect.objectContaining({ inviteeId: s.inviteeId, verdict: "no_show_proposed", minutes: 0 }),
    ]);
    const res = await post(s, "confirm");
    expect(res.status).toBe(200);
    const after = (await res.json()) as Attendance;
    expect(after.invitees[0]?.verdict).toBe("no_show");
    const invitee = await env.DB.prepare(
      "select calendly_uri, no_show_uri from invitees where id = ?",
    )
      .bind(s.inviteeId)
      .first<{ calendly_uri: string; no_show_uri: string | null }>();
    expect(invitee?.no_show_uri).toBeTruthy();
    const remote = await env.DB.prepare(
      "select no_show_id from sandbox_calendly_invitees where id = ?",
    )
      .bind(invitee?.calendly_uri.split("/").pop())
      .first<{ no_show_id: string | null }>();
    expect(remote?.no_show_id).toBeTruthy();
    expect(invitee?.no_show_uri).toContain(remote?.no_show_id);
    // Confirming again is harmless: Calendly already has it.
    expect((await post(s, "confirm")).status).toBe(200);
  });

  it("dismiss drops a proposal (nothing at Calendly); an attended client cannot be confirmed", async () => {
    const s = await pastSessionWithMeeting();
    await playFor(s, "client_no_show", ["meeting.ended"]);
    expect((await attendanceOf(s)).invitees[0]?.verdict).toBe("no_show_proposed");
    const res = await post(s, "dismiss");
    expect(res.status).toBe(200);
    expect(((await res.json()) as Attendance).invitees[0]?.verdict).toBe("unknown");
    const invitee = await env.DB.prepare("select no_show_uri from invitees where id = ?")
      .bind(s.inviteeId)
      .first<{ no_show_uri: string | null }>();
    expect(invitee?.no_show_uri).toBeNull();

    const came = await pastSessionWithMeeting();
    await playFor(came, "drop_and_rejoin");
    const a = await attendanceOf(came);
    expect(a.invitees[0]?.verdict).toBe("attended");
    expect(a.invitees[0]?.minutes).toBeGreaterThan(0);
    const refused = await post(came, "confirm");
    expect(refused.status).toBe(409);
  });

  it("coach never started: the host no-show is recorded, the client waited", async () => {
    const s = await pastSessionWithMeeting();
    await playFor(s, "coach_no_show");
    const a = await attendanceOf(s);
    expect(a.host).toMatchObject({ present: false, noShow: true });
    expect(a.invitees[0]).toMatchObject({ verdict: "attended", waited: true });
    expect((await post(s, "confirm")).status).toBe(409);
  });

  it("is the coach's own: another coach's session is 404", async () => {
    const s = await pastSessionWithMeeting();
    const lee = await coachWithSessions("lee@coach.test");
    const res = await api(lee.jar, `/api/sessions/${s.id}/attendance`);
    expect(res.status).toBe(404);
    const confirm = await api(lee.jar, `/api/sessions/${s.id}/attendance/${s.inviteeId}/confirm`, {
      method: "POST",
    });
    expect(confirm.status).toBe(404);
  });
});
