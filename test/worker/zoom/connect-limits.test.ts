/**
 * Zoom's rate limits as the guard applies them: a 429's `Retry-After` (an ISO date for daily limits)
 * or `X-RateLimit-Reset` (a Unix instant, per second) holds calls back locally until then, in the
 * gate of that label only; the 100 meeting creates + updates a day are refused locally after 100.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { coachGuard } from "../../../worker/durable-objects/coach-guard";
import type { AppError } from "../../../worker/lib/errors";
import { zoomFor } from "../../../worker/zoom/client";
import { connectZoom, zoomControl } from "./connect-helpers";

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );
const nextMidnightUtc = () => new Date(new Date().setUTCHours(24, 0, 0, 0)).getTime();
const meeting = () => ({
  topic: "Coaching Session with Sam",
  type: 2 as const,
  start_time: "2026-12-10T15:00:00Z",
  duration: 60,
  timezone: "America/New_York",
  agenda: "kairos:bkg_limits",
});
const fakeMeetings = async (userId: string) =>
  (
    await env.DB.prepare(
      "select count(*) as n from sandbox_zoom_meetings where user_id = ? and status != 'deleted'",
    )
      .bind(userId)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("Zoom 429s", () => {
  it("a daily 429 with Retry-After (ISO date) holds that label's calls until then, locally", async () => {
    const { coachId } = await connectZoom("lee@coach.test");
    const zoom = zoomFor(env, coachId);
    await zoomControl("/control/faults", { kind: "429_daily", target: "api", count: 1 });
    const first = await failure(zoom.me());
    expect(first?.code).toBe("rate_limited");
    const retryAt = Date.parse((first?.details as { retryAt: string }).retryAt);
    expect(retryAt).toBeGreaterThanOrEqual(nextMidnightUtc());
    expect(retryAt).toBeLessThan(nextMidnightUtc() + 2_000);

    // The fault is spent, so Zoom would answer now: a second failure proves nothing was sent.
    const second = await failure(zoom.me());
    expect(second?.code).toBe("rate_limited");
    const faults = await (
      await exports.default.fetch(`${env.ZOOM_AUTH_BASE}/control/faults`)
    ).json();
    expect(faults).toEqual({ api: null, token: null });

    // Another label's gate is not held: listing meetings (Medium) still works.
    await expect(zoom.listMeetings()).resolves.toMatchObject({ nextPageToken: null });
  });

  it("a per-second 429 (X-RateLimit-Reset, a Unix instant) waits about a second, not years", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    const zoom = zoomFor(env, coachId);
    await zoomControl("/control/faults", { kind: "429_qps", target: "api", count: 1 });
    const err = await failure(zoom.getMeeting("81234567890"));
    expect(err?.code).toBe("rate_limited");
    const wait = Date.parse((err?.details as { retryAt: string }).retryAt) - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThan(4_000);
    await new Promise((r) => setTimeout(r, wait + 50));
    expect((await failure(zoom.getMeeting("81234567890")))?.code).toBe("not_found");
  });
});

describe("Zoom's 100 meeting writes per user per day", () => {
  it("refuses the 101st create or update of the day locally, without a request", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    const zoom = zoomFor(env, coachId);
    const created = await zoom.createMeeting(meeting());
    expect(created.id).toMatch(/^\d{10,}$/);
    // 99 more writes (creates and updates share the budget) as if made earlier today.
    await runInDurableObject(coachGuard(env, coachId), (_guard, state) =>
      state.storage.kv.put("zoom:meeting-writes", {
        day: new Date().toISOString().slice(0, 10),
        count: 99,
      }),
    );
    await zoom.updateMeeting(created.id, { duration: 45 });
    expect((await zoom.getMeeting(created.id)).duration).toBe(45);

    const before = await fakeMeetings("zu_dana_reyes");
    const refused = await failure(zoom.createMeeting(meeting()));
    expect(refused?.code).toBe("rate_limited");
    expect(refused?.details).toMatchObject({ upstream: "zoom", reason: "daily_meeting_writes" });
    expect(Date.parse((refused?.details as { retryAt: string }).retryAt)).toBe(nextMidnightUtc());
    expect((await failure(zoom.updateMeeting(created.id, { duration: 30 })))?.code).toBe(
      "rate_limited",
    );
    expect(await fakeMeetings("zu_dana_reyes")).toBe(before);
    expect((await zoom.getMeeting(created.id)).duration).toBe(45);
    // Reads and deletes are not writes: a cancelled booking can still delete its meeting.
    expect(await zoom.deleteMeeting(created.id)).toBe("deleted");
    expect(await zoom.deleteMeeting(created.id)).toBe("already_gone");
  });
});
