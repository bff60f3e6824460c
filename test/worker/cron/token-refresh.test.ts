import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { fanOutTokenRefreshes } from "../../../worker/cron/token-refresh";
import worker from "../../../worker/index";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

describe("background token refresh", () => {
  it("enqueues only connections expiring within 30 minutes, and the job refreshes them", async () => {
    server.use(...fakeCalendly([dana]));
    await signInWithCode(`code-${dana.token}`);
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind(dana.email)
      .first<{ id: string }>();
    const coachId = coach?.id ?? "";
    const now = new Date();
    expect(await fanOutTokenRefreshes(env, now)).toBe(0); // fresh tokens: nothing due

    await env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
      .bind(now.getTime() + 20 * 60_000, coachId)
      .run();
    // Calendly's token endpoint for the refresh (the real consumer may run the job first: fine).
    server.use(
      http.post("http://kairos.test/sandbox/calendly/oauth/token", () =>
        HttpResponse.json({
          token_type: "Bearer",
          access_token: "fresh",
          refresh_token: "fresh-r",
          expires_in: 7200,
        }),
      ),
    );
    expect(await fanOutTokenRefreshes(env, now)).toBe(1);

    const batch = createMessageBatch("jobs", [
      { id: "j1", timestamp: now, attempts: 1, body: { type: "calendly.refresh_token", coachId } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["j1"]);
    const row = await env.DB.prepare(
      "select access_expires_at from provider_connections where coach_id = ?",
    )
      .bind(coachId)
      .first<{ access_expires_at: number }>();
    expect(row?.access_expires_at).toBeGreaterThan(now.getTime() + 60 * 60_000);
    expect(await fanOutTokenRefreshes(env, now)).toBe(0);
  });

  it("retries a refresh Calendly rate-limited no earlier than Calendly asked", async () => {
    server.use(...fakeCalendly([lee]));
    await signInWithCode(`code-${lee.token}`);
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind(lee.email)
      .first<{ id: string }>();
    const coachId = coach?.id ?? "";
    await env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
      .bind(Date.now() + 20 * 60_000, coachId)
      .run();
    server.use(
      http.post(
        "http://kairos.test/sandbox/calendly/oauth/token",
        () => new HttpResponse(null, { status: 429, headers: { "retry-after": "600" } }),
      ),
    );
    const batch = createMessageBatch("jobs", [
      {
        id: "j429",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "calendly.refresh_token", coachId },
      },
    ]);
    const message = batch.messages[0];
    if (!message) throw new Error("no message");
    // The test harness does not record retry delays, so watch the call itself.
    const retry = vi.spyOn(message, "retry");
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).retryMessages).toHaveLength(1);
    const delay = (retry.mock.calls[0]?.[0] as { delaySeconds: number }).delaySeconds;
    expect(delay).toBeGreaterThanOrEqual(590);
    expect(delay).toBeLessThanOrEqual(601);
  });
});
