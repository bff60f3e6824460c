/**
 * Recreate deletes the old meeting first — also one whose create reply was lost (found by its
 * marker), and counts one the coach already deleted in Zoom (404 3001) as gone.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "../../helpers/sign-in";
import { zoomControl } from "../../helpers/zoom-connection";
import {
  book,
  danaWithZoom,
  liveMeetingsWithMarker,
  meetingsAt,
  openSlots,
  readySession,
  sessionWhen,
  useZoomFor,
  type Zoom,
} from "./harness";

const recreate = async (jar: Parameters<typeof api>[0], sessionId: string) => {
  const res = await api(jar, `/api/sessions/${sessionId}/zoom/recreate`, { method: "POST" });
  return { status: res.status, zoom: ((await res.json()) as { zoom: Zoom }).zoom };
};

describe("Recreate meeting", () => {
  it("deletes a meeting whose create reply was lost before making the new one", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    await zoomControl("/control/faults", { kind: "lost_reply", count: 1, delayMs: 0 });
    const slot = (await openSlots("coaching-session"))[3];
    if (!slot) throw new Error("no slot");
    await book("coaching-session", slot, "Lost Recreate", "lostre@client.test");
    const failed = await sessionWhen(
      jar,
      "lostre@client.test",
      (s) => s.zoom?.status === "failed",
      "the create whose reply was lost",
    );
    const [orphan] = await meetingsAt(slot);
    if (!orphan) throw new Error("Zoom made no meeting");
    const marker = orphan.agenda.match(/kairos:\S+/)?.[0] ?? "none";

    const again = await recreate(jar, failed.id);
    expect(again.status).toBe(200);
    expect(again.zoom.status).toBe("ready");
    expect(again.zoom.meetingId).not.toBe(orphan.id);
    const live = await liveMeetingsWithMarker(marker);
    expect(live.map((m) => m.id)).toEqual([again.zoom.meetingId]);
  }, 90_000);

  it("makes a new meeting when the coach already deleted the old one in Zoom", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    const slot = (await openSlots("coaching-session"))[4];
    if (!slot) throw new Error("no slot");
    await book("coaching-session", slot, "Gone Recreate", "gonere@client.test");
    const ready = await readySession(jar, "gonere@client.test");
    const oldId = ready.zoom?.meetingId ?? "";
    // Deleted by hand in Zoom, and Kairos heard nothing of it.
    await env.DB.prepare("update sandbox_zoom_meetings set status = 'deleted' where id = ?")
      .bind(oldId)
      .run();

    const again = await recreate(jar, ready.id);
    expect(again.status).toBe(200);
    expect(again.zoom.status).toBe("ready");
    expect(again.zoom.meetingId).not.toBe(oldId);
    expect((await meetingsAt(slot)).map((m) => m.id)).toEqual([again.zoom.meetingId]);
  }, 90_000);
});
