/**
 * Zoom failing while a booking comes in: the booking stands, the session says the meeting is not
 * made yet and when Kairos tries again, nothing is sent in a loop, and a create whose reply was lost
 * is found again by its agenda marker instead of being made twice.
 */
import { describe, expect, it } from "vitest";
import { countUpstreamCalls } from "../../helpers/counting-upstream";
import { api } from "../../helpers/sign-in";
import { zoomControl } from "../../helpers/zoom-connection";
import { server } from "../../setup";
import {
  book,
  danaWithZoom,
  liveMeetingsWithMarker,
  meetingsAt,
  openSlots,
  type SessionView,
  sessionWhen,
  useZoomFor,
  type Zoom,
} from "./harness";

const failedSession = (jar: Parameters<typeof sessionWhen>[0], email: string) =>
  sessionWhen(jar, email, (s) => s.zoom?.status === "failed", `a failed meeting for ${email}`);

const retry = async (jar: Parameters<typeof api>[0], s: SessionView) => {
  const res = await api(jar, `/api/sessions/${s.id}/zoom/retry`, { method: "POST" });
  return { status: res.status, zoom: ((await res.json()) as { zoom: Zoom }).zoom };
};

describe("Zoom faults never lose a booking", () => {
  it("finds a create whose reply was lost by its marker, and makes no second meeting", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    // Zoom makes the meeting, then the answer is lost (a gateway timeout instead).
    await zoomControl("/control/faults", { kind: "lost_reply", count: 1, delayMs: 0 });
    const slot = (await openSlots("coaching-session"))[2];
    if (!slot) throw new Error("no slot");
    const calls = countUpstreamCalls(server);
    // The first retry is planned a minute after the failure, which comes after this.
    const t0 = Date.now();
    await book("coaching-session", slot, "Lost Reply", "lost@client.test");

    const failed = await failedSession(jar, "lost@client.test");
    expect(failed.status).toBe("active");
    expect(failed.zoom).toMatchObject({ meetingId: null, joinUrl: null });
    expect(Date.parse(failed.zoom?.retryAt ?? "")).toBeGreaterThan(t0 + 55_000);
    // Zoom did make it.
    const made = await meetingsAt(slot);
    expect(made).toHaveLength(1);

    const again = await retry(jar, failed);
    expect(again.status).toBe(200);
    expect(again.zoom).toMatchObject({ status: "ready", meetingId: made[0]?.id });
    expect(again.zoom.joinUrl).toContain(`/j/${made[0]?.id}`);
    expect(await meetingsAt(slot)).toHaveLength(1);
    const marker = made[0]?.agenda.match(/kairos:\S+/)?.[0] ?? "none";
    expect(await liveMeetingsWithMarker(marker)).toHaveLength(1);
    // One create ever left; the retry listed the host's meetings and read the one it found.
    calls.stop();
    const zoomCalls = calls.calls.filter((c) => c.includes(" zoom:/v2/"));
    expect(zoomCalls.filter((c) => c.startsWith("POST"))).toEqual([
      "POST zoom:/v2/users/me/meetings",
    ]);
    expect(zoomCalls).toContain(`GET zoom:/v2/meetings/${made[0]?.id}`);
  }, 90_000);

  it("keeps the booking through a 5xx burst, shows when it retries, and sends no storm", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    await zoomControl("/control/faults", { kind: "5xx", count: 3 });
    const calls = countUpstreamCalls(server);
    const slot = (await openSlots("coaching-session"))[5];
    if (!slot) throw new Error("no slot");
    const t0 = Date.now();
    await book("coaching-session", slot, "Burst Client", "burst@client.test");

    const failed = await failedSession(jar, "burst@client.test");
    expect(failed.status).toBe("active");
    expect(failed.zoom?.error).toMatch(/zoom/i);
    const retryAt = Date.parse(failed.zoom?.retryAt ?? "");
    expect(retryAt).toBeGreaterThan(t0 + 55_000);
    // One create went out and failed; nothing more is sent while Kairos waits.
    await new Promise((r) => setTimeout(r, 2_000));
    const zoomCalls = calls.calls.filter((c) => c.includes(" zoom:/v2/"));
    expect(zoomCalls).toEqual(["POST zoom:/v2/users/me/meetings"]);
    expect(await meetingsAt(slot)).toHaveLength(0);

    // The coach presses Retry: a look-up first (a create went out), then the one create.
    const again = await retry(jar, failed);
    calls.stop();
    expect(again.zoom).toMatchObject({ status: "ready" });
    expect(again.zoom.retryAt).toBeUndefined();
    expect(await meetingsAt(slot)).toHaveLength(1);
  }, 90_000);
});
