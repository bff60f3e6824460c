import { describe, expect, it } from "vitest";
import { call, tokensFor } from "../../helpers/sandbox-calendly";

type Page = {
  collection: { uri: string; start_time?: string }[];
  pagination: { next_page_token: string | null; count: number };
};

async function exportsFetch(path: string, init?: RequestInit) {
  const { exports } = await import("cloudflare:workers");
  return exports.default.fetch(`http://kairos.test/sandbox/calendly${path}`, init);
}

describe("sandbox Calendly API", () => {
  it("answers 401 without, or with a bad, access token", async () => {
    expect((await exportsFetch("/users/me")).status).toBe(401);
    const res = await call("nope", "/users/me");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      title: "Unauthenticated",
      message: "The access token is invalid",
    });
  });

  it("pages through scheduled events with count and page_token", async () => {
    const t = await tokensFor("dana@coach.test");
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const qs: string = `user=${encodeURIComponent(t.owner)}&count=25${token ? `&page_token=${token}` : ""}`;
      const res = await call(t.access_token, `/scheduled_events?${qs}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      expect(Object.keys(page.pagination).sort()).toEqual([
        "count",
        "next_page",
        "next_page_token",
        "previous_page",
        "previous_page_token",
      ]);
      seen.push(...page.collection.map((e) => e.uri));
      token = page.pagination.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(60);
  });

  it("refuses count over 100 with a 400 naming the parameter", async () => {
    const t = await tokensFor("dana@coach.test");
    const res = await call(
      t.access_token,
      `/event_types?user=${encodeURIComponent(t.owner)}&count=101`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      title: "Invalid Argument",
      details: [{ parameter: "count" }],
    });
  });

  it("refuses another user's data with 403", async () => {
    const dana = await tokensFor("dana@coach.test");
    const lee = await tokensFor("lee@coach.test");
    const res = await call(lee.access_token, `/event_types?user=${encodeURIComponent(dana.owner)}`);
    expect(res.status).toBe(403);
  });

  it("reports rate-limit headers and answers 429 past the configured budget", async () => {
    await exportsFetch("/control/settings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rateLimitPerMinute: 3 }),
    });
    const t = await tokensFor("lee@coach.test");
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await call(t.access_token, "/users/me");
      statuses.push(last.status);
    }
    // Earlier calls in this file count too: at most 3 succeed, then every call is refused.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last?.headers.get("x-ratelimit-limit")).toBe("3");
    expect(last?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(last?.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
    expect(await last?.json()).toEqual({
      title: "Too Many Requests",
      message: "You have exceeded the rate limit",
    });
    await exportsFetch("/control/settings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rateLimitPerMinute: 500 }),
    });
  });
});
