import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";

const DAY = 86_400_000;

function publicAvailability(ip: string, fromDays = 0, toDays = 14) {
  const query = new URLSearchParams({
    coach: "dana-reyes",
    eventType: "intro-call",
    from: new Date(Date.now() + fromDays * DAY).toISOString(),
    to: new Date(Date.now() + toDays * DAY).toISOString(),
  });
  return exports.default.fetch(`${ORIGIN}/api/public/availability?${query}`, {
    headers: { "cf-connecting-ip": ip },
  });
}

describe("GET /api/public/availability rate limit", () => {
  it("answers the 31st read in a minute from one IP with 429 and Retry-After; other IPs still read", async () => {
    await readyCoach();
    // The limiter counts per clock minute: start early in one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 40_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await publicAvailability("203.0.113.40", 0, 7 + (i % 5))).status);
    }
    expect(statuses).toEqual(Array(30).fill(200));

    const refused = await publicAvailability("203.0.113.40");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: { retryAt: string } };
      requestId: string;
    };
    expect(body.error.code).toBe("rate_limited");
    expect(Date.parse(body.error.details.retryAt)).toBeGreaterThan(Date.now());
    expect(body.requestId).toBe(refused.headers.get("x-request-id"));

    expect((await publicAvailability("203.0.113.41")).status).toBe(200);
  });
});
