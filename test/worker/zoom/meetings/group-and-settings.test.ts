/**
 * A group event gets one meeting per scheduled event, however many clients join it; and the event
 * type's conferencing setting (PUT /api/event-types/{id}/conferencing) with its defaults and checks.
 */
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/sign-in";
import { fakeMeetings } from "../../helpers/zoom-connection";
import {
  book,
  calendlyControl,
  danaWithZoom,
  eventTypeId,
  eventually,
  json,
  meetingsAt,
  openSlots,
  readySession,
  sessionById,
  useZoomFor,
} from "./harness";

describe("group events", () => {
  it("share one meeting, which ends only when the last client leaves", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Group Workshop");
    const slot = (await openSlots("group-workshop"))[2];
    if (!slot) throw new Error("no slot");
    const first = await book("group-workshop", slot, "Ada One", "ada@client.test");
    const session = await readySession(jar, "ada@client.test");
    const second = await book("group-workshop", slot, "Ben Two", "ben@client.test");
    await eventually(
      () => sessionById(jar, session.id),
      (s) => s.invitees.length === 2,
      "the second client in the same session",
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const atSlot = await meetingsAt(slot);
    expect(atSlot).toHaveLength(1);
    expect(atSlot[0]).toMatchObject({ id: session.zoom?.meetingId, topic: "Group Workshop" });
    expect(atSlot[0]?.agenda).toContain(`kairos:${session.id}`);

    await calendlyControl("cancel", { inviteeUri: first.invitee });
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await sessionById(jar, session.id)).zoom?.status).toBe("ready");
    expect(await meetingsAt(slot)).toHaveLength(1);

    await calendlyControl("cancel", { inviteeUri: second.invitee });
    await eventually(
      () => sessionById(jar, session.id),
      (s) => s.zoom?.status === "deleted",
      "the meeting deleted with the last client",
    );
    expect((await fakeMeetings()).find((m) => m.id === session.zoom?.meetingId)?.status).toBe(
      "deleted",
    );
  }, 120_000);
});

describe("PUT /api/event-types/{id}/conferencing", () => {
  it("defaults to no meeting with a waiting room and a generated passcode", async () => {
    const { jar } = await danaWithZoom();
    const id = await eventTypeId(jar, "Intro Call");
    const res = await api(jar, `/api/event-types/${id}/conferencing`);
    expect(await res.json()).toEqual({
      eventTypeId: id,
      provider: "none",
      waitingRoom: true,
      joinBeforeHost: false,
      passcode: true,
    });
    const saved = await api(
      jar,
      `/api/event-types/${id}/conferencing`,
      json(
        { provider: "zoom", waitingRoom: false, joinBeforeHost: true, passcode: "club-42" },
        "PUT",
      ),
    );
    expect(saved.status).toBe(200);
    const list = (await (await api(jar, "/api/event-types")).json()) as {
      items: { id: string; conferencing: { provider: string; passcode: unknown } }[];
    };
    expect(list.items.find((i) => i.id === id)?.conferencing).toMatchObject({
      provider: "zoom",
      passcode: "club-42",
    });
  });

  it("makes meetings as set: no waiting room, join before host, the coach's passcode", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session", {
      waitingRoom: false,
      joinBeforeHost: true,
      passcode: "dana123",
    });
    const slot = (await openSlots("coaching-session"))[6];
    if (!slot) throw new Error("no slot");
    await book("coaching-session", slot, "Open Room", "open@client.test");
    const session = await readySession(jar, "open@client.test");
    expect(session.zoom?.passcode).toBe("dana123");
    const [meeting] = await meetingsAt(slot);
    expect(meeting?.settings).toMatchObject({ waiting_room: false, join_before_host: true });
  }, 90_000);

  it("refuses contradictions, unknown event types and other coaches' types", async () => {
    const { jar } = await danaWithZoom();
    const id = await eventTypeId(jar, "Intro Call");
    const put = (body: unknown, target = id) =>
      api(jar, `/api/event-types/${target}/conferencing`, json(body, "PUT"));
    const both = await put({ provider: "zoom", waitingRoom: true, joinBeforeHost: true });
    expect(both.status).toBe(400);
    expect(await both.text()).toMatch(/waiting room/i);
    expect((await put({ provider: "teams" })).status).toBe(400);
    expect((await put({ provider: "zoom", passcode: "far too long!" })).status).toBe(400);
    expect((await put({ provider: "zoom" }, "evt_not_mine")).status).toBe(404);
  });
});
