/**
 * A meeting that failed for want of a grant has no retry of its own: connecting Zoom again (the
 * real callback) syncs it, so the coach never has to press Retry. Its own file: a daily 429 left
 * by another test would hold the resumed create back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { zoomControl } from "../../helpers/zoom-connection";
import { approveZoom, startZoom } from "../connect-helpers";
import { book, danaWithZoom, meetingsAt, openSlots, sessionWhen, useZoomFor } from "./harness";

describe("connecting Zoom again", () => {
  it("makes the meeting that failed for want of a grant, without Retry", async () => {
    const { jar, coachId } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    await zoomControl("/control/tokens", { email: "dana@coach.test", action: "revoke_grant" });
    // The stored access token dies with the grant; make Kairos find out on its first call.
    await env.DB.prepare(
      "update provider_connections set access_expires_at = ? where coach_id = ? and provider = 'zoom'",
    )
      .bind(Date.now() - 1000, coachId)
      .run();
    const slot = (await openSlots("coaching-session"))[8];
    if (!slot) throw new Error("no slot");
    await book("coaching-session", slot, "Back Client", "back@client.test");
    const failed = await sessionWhen(
      jar,
      "back@client.test",
      (s) => s.zoom?.status === "failed",
      "the meeting that could not be made",
    );
    expect(failed.zoom?.retryAt).toBeUndefined();
    expect(await meetingsAt(slot)).toHaveLength(0);

    const { authorize } = await startZoom(jar);
    const back = await approveZoom(jar, authorize, "dana@coach.test");
    expect(back.headers.get("location") ?? "").toContain("connected");
    const ready = await sessionWhen(
      jar,
      "back@client.test",
      (s) => s.zoom?.status === "ready",
      "the meeting made after the reconnect",
    );
    expect(ready.zoom?.joinUrl).toBeTruthy();
    expect(await meetingsAt(slot)).toHaveLength(1);
  }, 90_000);
});
