import { exports } from "cloudflare:workers";
import { http } from "msw";
import { describe, expect, it } from "vitest";
import { daysCovering } from "../../../worker/availability/day-buckets";
import { freshIp, readyCoach } from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";
import { server } from "../setup";

const DAY = 86_400_000;

function publicAvailability(ip: string, fromDays = 0, toDays = 14, eventType = "intro-call") {
  const query = new URLSearchParams({
    coach: "dana-reyes",
    eventType,
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

describe("GET /api/public/availability cache", () => {
  it("serves another window over the same days without asking Calendly, and asks only for new days", async () => {
    await readyCoach();
    const asked: { start: string; end: string }[] = [];
    server.use(
      http.get(`${ORIGIN}/sandbox/calendly/event_type_available_times`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        asked.push({ start: q.get("start_time") ?? "", end: q.get("end_time") ?? "" });
        // No answer: the request goes on to the sandbox.
      }),
    );
    const read = async (fromDays: number, toDays: number) => {
      const res = await publicAvailability(freshIp(), fromDays, toDays, "coaching-session");
      expect(res.status).toBe(200);
      return ((await res.json()) as { slots: string[] }).slots;
    };
    const week = await read(0, 7);
    expect(week.length).toBeGreaterThan(0);
    expect(asked).toHaveLength(1);

    const inner = await read(1.3, 4.8);
    expect(asked).toHaveLength(1);
    const from = Date.now() + 1.3 * DAY;
    const to = Date.now() + 4.8 * DAY;
    expect(inner).toEqual(week.filter((s) => Date.parse(s) >= from && Date.parse(s) <= to));

    // Two more days: one call, starting where the cached days end (midnight in New York).
    await read(2, 9);
    expect(asked).toHaveLength(2);
    const cachedDays = daysCovering(Date.now(), Date.now() + 7 * DAY, "America/New_York");
    expect(asked[1]?.start).toBe(new Date(cachedDays.at(-1)?.end ?? 0).toISOString());
  });
});
