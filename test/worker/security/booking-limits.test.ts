/**
 * Junk booking requests cannot lock real clients out: the per-IP limit comes first, the per-coach
 * limit counts only requests that passed the honeypot, form token and Turnstile, and every 429 the
 * app sends says when to come back (`Retry-After`, mapped in worker/lib/errors.ts).
 */
import { env, exports } from "cloudflare:workers";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { AppError, toAppError } from "../../../worker/lib/errors";
import { takeInviteeBudget } from "../../../worker/sandbox/calendly/plans";
import { sandboxDb } from "../../../worker/sandbox/calendly/store";
import {
  bookingBody,
  freshIp,
  openSlots,
  postBooking,
  readyCoach,
} from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";

/** The limiters count per clock minute: start a burst early in one. */
async function earlyInAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 30_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}

describe("the per-coach booking limit", () => {
  it("is not spent by junk: 130 posts failing the spam checks, then a real client books", async () => {
    await readyCoach();
    const [slot, other] = await openSlots("dana-reyes", "intro-call");
    await earlyInAMinute();
    const junk = await Promise.all(
      Array.from(
        { length: 130 },
        async (_, i) =>
          (
            await postBooking(
              await bookingBody({
                startTime: other,
                email: `bot${i}@junk.test`,
                ...(i % 3 === 0
                  ? { turnstileToken: "fail" }
                  : i % 3 === 1
                    ? { website: "https://spam.test" }
                    : { formToken: "1.not-a-real-token.00" }),
              }),
            )
          ).status,
      ),
    );
    expect(new Set(junk)).toEqual(new Set([400]));
    const real = await postBooking(
      await bookingBody({ startTime: slot, email: "real.client@client.test" }),
    );
    expect(`${real.status} ${await real.text()}`).toMatch(/^201 /);
  }, 120_000);
});

describe("the per-IP booking limit", () => {
  it("comes first: an address past it gets 429 with Retry-After even for a coach that does not exist", async () => {
    await earlyInAMinute();
    const ip = freshIp();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await postBooking(
        await bookingBody({ coach: "nobody-here", startTime: tomorrow }),
        ip,
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses[10]).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("Retry-After on every 429", () => {
  it("is derived from the error: the time given, else its retryAt, else a minute", () => {
    expect(new AppError("rate_limited", "x", { retryAfterSeconds: 7 }).retryAfterSeconds).toBe(7);
    const retryAt = new Date(Date.now() + 90_000).toISOString();
    const derived = new AppError("rate_limited", "x", { details: { retryAt } }).retryAfterSeconds;
    expect(derived).toBeGreaterThanOrEqual(89);
    expect(derived).toBeLessThanOrEqual(90);
    expect(new AppError("rate_limited", "x").retryAfterSeconds).toBe(60);
    expect(
      new AppError("rate_limited", "x", { details: { retryAt: null } }).retryAfterSeconds,
    ).toBe(60);
    expect(toAppError(new HTTPException(429)).retryAfterSeconds).toBe(60);
    expect(new AppError("conflict", "x").retryAfterSeconds).toBeUndefined();
  });

  it("reaches the client when Calendly's own booking limit is hit", async () => {
    await readyCoach();
    await exports.default.fetch(`${ORIGIN}/sandbox/calendly/control/plan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ coachEmail: "dana@coach.test", plan: "trial" }),
    });
    const db = sandboxDb(env);
    for (let i = 0; i < 5; i++) await takeInviteeBudget(db, "dana-reyes-0001", "trial");
    const [slot] = await openSlots("dana-reyes", "intro-call");
    const res = await postBooking(
      await bookingBody({ startTime: slot, email: "over.limit@client.test" }),
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
