/**
 * Acceptance, end to end against the sandbox fakes: a client books Dana's Zoom event type through
 * the fake Calendly → the signed webhook → Kairos's queues → the Zoom reactor → one meeting in the
 * fake Zoom; a reschedule moves that same meeting; a cancel deletes it; duplicated webhooks still
 * make one meeting.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/sign-in";
import { fakeMeetings } from "../../helpers/zoom-connection";
import {
  book,
  calendlyControl,
  danaWithZoom,
  eventually,
  meetingsAt,
  openSlots,
  readySession,
  sessionById,
  sessionWhen,
  useZoomFor,
} from "./harness";

describe("a Zoom meeting follows its booking", () => {
  it("is made within 30 s, moved by a reschedule and deleted by a cancel", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    const slots = await openSlots("coaching-session");
    const [slot, later] = [slots[3], slots[8]];
    if (!slot || !later) throw new Error("no slots");

    const started = Date.now();
    const booked = await book("coaching-session", slot, "Robin Zoom", "robin@client.test");
    const session = await readySession(jar, "robin@client.test");
    expect(Date.now() - started).toBeLessThan(30_000);

    const zoom = session.zoom;
    expect(zoom).toMatchObject({ status: "ready" });
    expect(zoom?.meetingId).toMatch(/^\d+$/);
    expect(zoom?.joinUrl).toMatch(/^http:\/\/kairos\.test\/sandbox\/zoom\/j\//);
    expect(zoom?.passcode).toMatch(/^[A-Za-z0-9@\-_*]{1,10}$/);
    expect(JSON.stringify(session)).not.toMatch(/start_url|zak=/);

    const atSlot = await meetingsAt(slot);
    expect(atSlot).toHaveLength(1);
    // Dana's bookings from before Zoom was chosen keep what they had: this is the only meeting.
    expect((await fakeMeetings()).filter((m) => m.status !== "deleted")).toHaveLength(1);
    const meeting = atSlot[0];
    const minutes = (Date.parse(session.endTime) - Date.parse(session.startTime)) / 60_000;
    expect(meeting).toMatchObject({
      id: zoom?.meetingId,
      duration: minutes,
      topic: "Coaching Session with Robin Zoom",
      invitees: ["robin@client.test"],
    });
    expect(meeting?.agenda).toMatch(/kairos:inv_/);
    expect(meeting?.settings).toMatchObject({ waiting_room: true, join_before_host: false });

    // Reschedule: a new Calendly event, the same Zoom meeting (and link) at the new time.
    const moved = await calendlyControl("reschedule", {
      inviteeUri: booked.invitee,
      newStartTime: later,
    });
    expect(moved.status).toBe(201);
    const after = await sessionWhen(
      jar,
      "robin@client.test",
      (s) => s.startTime === new Date(later).toISOString() && s.zoom?.status === "ready",
      "the rescheduled session's meeting",
    );
    expect(after.id).not.toBe(session.id);
    expect(after.zoom?.meetingId).toBe(zoom?.meetingId);
    expect(after.zoom?.joinUrl).toBe(zoom?.joinUrl);
    await eventually(
      async () => (await fakeMeetings()).find((m) => m.id === zoom?.meetingId),
      (m) => m?.startTime === new Date(later).toISOString(),
      "the fake's meeting at the new time",
    );
    expect(await meetingsAt(slot)).toHaveLength(0);
    expect(
      (await fakeMeetings()).filter((m) => m.status !== "deleted" && m.agenda === meeting?.agenda),
    ).toHaveLength(1);
    // The old session no longer claims the meeting.
    expect((await sessionById(jar, session.id)).zoom).toBeNull();

    // Cancel: the meeting is deleted in Zoom, the session says so.
    const inviteeUri = after.invitees[0]?.calendlyUri ?? "";
    expect((await calendlyControl("cancel", { inviteeUri, reason: "Sick" })).status).toBe(200);
    const canceled = await eventually(
      () => sessionById(jar, after.id),
      (s) => s.zoom?.status === "deleted",
      "the deleted meeting",
    );
    expect(canceled.zoom).toMatchObject({ meetingId: zoom?.meetingId, joinUrl: null });
    const gone = (await fakeMeetings()).find((m) => m.id === zoom?.meetingId);
    expect(gone?.status).toBe("deleted");
  }, 120_000);

  it("makes one meeting when every webhook arrives twice", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    await calendlyControl("settings", { webhookMode: "duplicate" });
    const slot = (await openSlots("coaching-session"))[4];
    if (!slot) throw new Error("no slot");
    await book("coaching-session", slot, "Dupe Client", "dupe@client.test");
    const session = await readySession(jar, "dupe@client.test");
    // Both deliveries (and both reactions) have had time to run.
    await new Promise((r) => setTimeout(r, 3_000));
    const atSlot = await meetingsAt(slot);
    expect(atSlot).toHaveLength(1);
    expect(atSlot[0]?.id).toBe(session.zoom?.meetingId);
    const rows = await api(jar, `/api/sessions/${session.id}`);
    expect(((await rows.json()) as { zoom: { meetingId: string } }).zoom.meetingId).toBe(
      session.zoom?.meetingId,
    );
  }, 90_000);

  it("leaves event types without Zoom alone", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    const slot = (await openSlots("intro-call"))[6];
    if (!slot) throw new Error("no slot");
    await book("intro-call", slot, "No Zoom", "nozoom@client.test");
    const session = await sessionWhen(jar, "nozoom@client.test", () => true, "the intro call");
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await sessionById(jar, session.id)).zoom).toBeNull();
    expect(await meetingsAt(slot)).toHaveLength(0);
  }, 90_000);
});
