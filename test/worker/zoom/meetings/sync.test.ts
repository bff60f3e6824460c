/**
 * The sync of one meeting row, called directly: a crash between Zoom's answer and Kairos's write
 * (the row still says "creating", the meeting exists in Zoom) is repaired by finding the meeting by
 * its marker, never by a second create; two jobs at once → one talks to Zoom, the other waits.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { zoomFor } from "../../../../worker/zoom/client";
import { claimMeetingRow } from "../../../../worker/zoom/meetings/store";
import { syncMeetingRow } from "../../../../worker/zoom/meetings/sync";
import { countUpstreamCalls } from "../../helpers/counting-upstream";
import { server } from "../../setup";
import { book, danaWithZoom, meetingsAt, openSlots, readySession, useZoomFor } from "./harness";

async function bookedWithMeeting(email: string, slotIndex: number) {
  const { jar, coachId } = await danaWithZoom();
  await useZoomFor(jar, "Coaching Session");
  const slot = (await openSlots("coaching-session"))[slotIndex];
  if (!slot) throw new Error("no slot");
  await book("coaching-session", slot, "Sync Client", email);
  const session = await readySession(jar, email);
  const row = await env.DB.prepare("select id from zoom_meetings where session_id = ?")
    .bind(session.id)
    .first<{ id: string }>();
  if (!row) throw new Error("no row");
  return { coachId, slot, rowId: row.id, meetingId: session.zoom?.meetingId ?? "" };
}

const forget = (rowId: string, createSent: boolean) =>
  env.DB.prepare(
    `update zoom_meetings set zoom_meeting_id = null, zoom_uuid = null, join_url = null,
       passcode = null, starts_at = null, duration_minutes = null, topic = null,
       status = 'creating', create_started_at = ?, retry_at = null where id = ?`,
  )
    .bind(createSent ? Date.now() - 5_000 : null, rowId)
    .run();

describe("syncing one meeting", () => {
  it("finds the meeting Zoom made when Kairos crashed before writing it down", async () => {
    const { coachId, slot, rowId, meetingId } = await bookedWithMeeting("crash@client.test", 3);
    await forget(rowId, true);
    const calls = countUpstreamCalls(server);
    const scope = { db: createDb(env.DB), coachId };
    expect(await syncMeetingRow(env, scope, rowId)).toBe("ready");
    calls.stop();
    const row = await env.DB.prepare(
      "select status, zoom_meeting_id, join_url from zoom_meetings where id = ?",
    )
      .bind(rowId)
      .first<{ status: string; zoom_meeting_id: string; join_url: string }>();
    expect(row).toMatchObject({ status: "ready", zoom_meeting_id: meetingId });
    expect(row?.join_url).toContain(`/j/${meetingId}`);
    expect(calls.calls.filter((c) => c.startsWith("POST zoom:"))).toEqual([]);
    expect(await meetingsAt(slot)).toHaveLength(1);
  }, 90_000);

  it("lets one of two simultaneous jobs talk to Zoom", async () => {
    const { coachId, slot, rowId, meetingId } = await bookedWithMeeting("twice@client.test", 4);
    // As if nothing had been sent yet: the meeting is gone and the row starts over.
    await env.DB.prepare("update sandbox_zoom_meetings set status = 'deleted' where id = ?")
      .bind(meetingId)
      .run();
    await forget(rowId, false);
    const scope = { db: createDb(env.DB), coachId };
    const outcomes = await Promise.all([
      syncMeetingRow(env, scope, rowId),
      syncMeetingRow(env, scope, rowId),
    ]);
    expect(outcomes.sort()).toEqual(["busy", "ready"]);
    expect(await meetingsAt(slot)).toHaveLength(1);
  }, 90_000);

  it("sends no create from a job whose lease lapsed and was taken over, and leaves the row alone", async () => {
    const { coachId, slot, rowId, meetingId } = await bookedWithMeeting("slow@client.test", 5);
    await env.DB.prepare("update sandbox_zoom_meetings set status = 'deleted' where id = ?")
      .bind(meetingId)
      .run();
    await forget(rowId, true);
    const scope = { db: createDb(env.DB), coachId };
    const real = zoomFor(env, coachId);
    let takenOver = null as Date | null;
    // The slow job: its clock says two minutes ago, so its lease has lapsed by the time it asks
    // Zoom; while it looks for the marker another job claims the row.
    const slow = {
      ...real,
      listMeetings: async (q: Parameters<typeof real.listMeetings>[0]) => {
        takenOver = (await claimMeetingRow(scope, rowId))?.lockedUntil ?? null;
        return real.listMeetings(q);
      },
    };
    const calls = countUpstreamCalls(server);
    const outcome = await syncMeetingRow(env, scope, rowId, {
      zoom: slow,
      now: new Date(Date.now() - 120_000),
    });
    calls.stop();
    expect(takenOver).not.toBeNull();
    expect(outcome).toBe("busy");
    expect(calls.calls.filter((c) => c.startsWith("POST zoom:"))).toEqual([]);
    expect(await meetingsAt(slot)).toHaveLength(0);
    const row = await env.DB.prepare("select status, locked_until from zoom_meetings where id = ?")
      .bind(rowId)
      .first<{ status: string; locked_until: number }>();
    // The row is still the other job's: the slow one wrote neither an outcome nor a release.
    expect(row).toMatchObject({ status: "creating", locked_until: takenOver?.getTime() });
  }, 90_000);
});
