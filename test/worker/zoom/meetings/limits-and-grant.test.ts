/**
 * Zoom refusing for longer than a blip: a daily 429 with `Retry-After` (the next try waits for
 * Zoom's time, and pressing Retry before then sends nothing), and a revoked grant (the coach is
 * told to reconnect; nothing retries on its own). The booking stands either way.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countUpstreamCalls } from "../../helpers/counting-upstream";
import { api } from "../../helpers/sign-in";
import { zoomControl } from "../../helpers/zoom-connection";
import { server } from "../../setup";
import {
  book,
  danaWithZoom,
  meetingsAt,
  openSlots,
  sessionWhen,
  useZoomFor,
  type Zoom,
} from "./harness";

const nextMidnightUtc = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
};

describe("Zoom over its limits, or no longer authorized", () => {
  it("waits for a daily 429's Retry-After and sends nothing before it", async () => {
    const { jar } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    await zoomControl("/control/faults", { kind: "429_daily", count: 1 });
    const slot = (await openSlots("coaching-session"))[1];
    if (!slot) throw new Error("no slot");
    await book("coaching-session", slot, "Limit Client", "limit@client.test");
    const failed = await sessionWhen(
      jar,
      "limit@client.test",
      (s) => s.zoom?.status === "failed",
      "the refused meeting",
    );
    expect(failed.status).toBe("active");
    expect(Date.parse(failed.zoom?.retryAt ?? "")).toBeGreaterThanOrEqual(
      nextMidnightUtc().getTime(),
    );

    const calls = countUpstreamCalls(server);
    const res = await api(jar, `/api/sessions/${failed.id}/zoom/retry`, { method: "POST" });
    calls.stop();
    expect(res.status).toBe(200);
    const { zoom } = (await res.json()) as { zoom: Zoom };
    expect(zoom.status).toBe("failed");
    // The day's meeting writes are spent: Kairos refuses them itself, Zoom hears nothing.
    expect(calls.calls.filter((c) => c.startsWith("POST zoom:"))).toEqual([]);
    expect(await meetingsAt(slot)).toHaveLength(0);
  }, 90_000);

  it("asks the coach to reconnect when the grant is revoked, and does not retry on its own", async () => {
    const { jar, coachId } = await danaWithZoom();
    await useZoomFor(jar, "Coaching Session");
    await zoomControl("/control/tokens", { email: "dana@coach.test", action: "revoke_grant" });
    // The stored access token dies with the grant; make Kairos find out on its first call.
    await env.DB.prepare(
      "update provider_connections set access_expires_at = ? where coach_id = ? and provider = 'zoom'",
    )
      .bind(Date.now() - 1000, coachId)
      .run();
    const slot = (await openSlots("coaching-session"))[7];
    if (!slot) throw new Error("no slot");
    const calls = countUpstreamCalls(server);
    await book("coaching-session", slot, "Revoked Client", "revoked@client.test");
    const failed = await sessionWhen(
      jar,
      "revoked@client.test",
      (s) => s.zoom?.status === "failed",
      "the meeting that could not be made",
    );
    expect(failed.status).toBe("active");
    expect(failed.zoom?.error).toMatch(/reconnect/i);
    expect(failed.zoom?.retryAt).toBeUndefined();
    const connection = await env.DB.prepare(
      "select status from provider_connections where coach_id = ? and provider = 'zoom'",
    )
      .bind(coachId)
      .first<{ status: string }>();
    expect(connection?.status).toBe("needs_reconnect");
    await new Promise((r) => setTimeout(r, 2_000));
    calls.stop();
    const zoomCalls = calls.calls.filter((c) => c.includes(" zoom:"));
    expect(zoomCalls.length).toBeLessThanOrEqual(2);
    expect(await meetingsAt(slot)).toHaveLength(0);
  }, 90_000);
});
