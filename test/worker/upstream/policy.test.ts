import { describe, expect, it } from "vitest";
import {
  fullJitterDelay,
  initialGateState,
  POLICY,
  retryAtAfter429,
  UpstreamGate,
} from "../../../worker/upstream/policy";

/** A gate on a fake clock: sleeping advances time; `answers` are served in order. */
function fakeGate(answers: (() => Response | Promise<Response>)[], policy = POLICY) {
  let now = Date.parse("2026-12-02T14:00:00Z");
  const calls: Request[] = [];
  const sleeps: number[] = [];
  const gate = new UpstreamGate(
    "calendly",
    initialGateState(),
    {
      fetch: async (request) => {
        calls.push(request);
        const next = answers.shift();
        if (!next) throw new Error("unexpected upstream call");
        return next();
      },
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => 0.5,
    },
    policy,
  );
  return {
    gate,
    calls,
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
    get: (idempotent = true) =>
      gate.send(new Request("https://api.calendly.test/users/me"), { idempotent }),
  };
}

const ok = () => new Response("{}", { headers: { "x-ratelimit-limit": "500" } });
const status =
  (s: number, headers: Record<string, string> = {}) =>
  () =>
    new Response("{}", { status: s, headers });
const timeout = () => Promise.reject(new DOMException("The operation timed out.", "TimeoutError"));

describe("the HTTP policy", () => {
  it("retries an idempotent request on 5xx and timeouts with full-jitter backoff", async () => {
    const g = fakeGate([status(503), timeout, ok]);
    const res = await g.get();
    expect(res.status).toBe(200);
    expect(g.calls).toHaveLength(3);
    // random() = 0.5 → half of min(cap, base·2^(n-1))
    expect(g.sleeps).toEqual([125, 250]);
    expect(g.gate.state.consecutiveFailures).toBe(0);
  });

  it("never retries a non-idempotent request, and says its outcome is unknown", async () => {
    const g = fakeGate([status(502), ok]);
    await expect(g.get(false)).rejects.toMatchObject({
      code: "upstream_unavailable",
      details: { outcome: "unknown" },
    });
    expect(g.calls).toHaveLength(1);
  });

  it("passes 4xx answers through without retrying (they are not outages)", async () => {
    const g = fakeGate([status(404), status(409)]);
    expect((await g.get()).status).toBe(404);
    expect((await g.get(false)).status).toBe(409);
    expect(g.calls).toHaveLength(2);
    expect(g.gate.breakerNow()).toBe("closed");
  });

  it("opens the breaker after a burst of 5xx, fails fast, probes after the cooldown, closes", async () => {
    const g = fakeGate([status(500), status(500), status(500), status(500), status(500), ok]);
    await expect(g.get()).rejects.toMatchObject({ code: "upstream_unavailable" }); // 3 attempts
    await expect(g.get()).rejects.toMatchObject({ code: "upstream_unavailable" }); // 2 → open
    expect(g.calls).toHaveLength(5);
    expect(g.gate.breakerNow()).toBe("open");

    g.advance(POLICY.cooldownMs - 1_000);
    await expect(g.get()).rejects.toMatchObject({
      code: "upstream_unavailable",
      details: { breaker: "open" },
    });
    expect(g.calls).toHaveLength(5); // no upstream call while open

    g.advance(1_000);
    expect(g.gate.breakerNow()).toBe("half_open");
    expect((await g.get()).status).toBe(200); // the probe
    expect(g.gate.breakerNow()).toBe("closed");
    expect(g.calls).toHaveLength(6);
  });

  it("re-opens the breaker when the half-open probe fails, without retrying it", async () => {
    const g = fakeGate([...Array.from({ length: 5 }, () => status(500)), timeout]);
    await g.get().catch(() => {});
    await g.get().catch(() => {});
    g.advance(POLICY.cooldownMs);
    await expect(g.get()).rejects.toMatchObject({ code: "upstream_unavailable" });
    expect(g.calls).toHaveLength(6);
    expect(g.gate.breakerNow()).toBe("open");
  });

  it("makes no upstream call for 30 s after a 429 with Retry-After: 30", async () => {
    const g = fakeGate([status(429, { "retry-after": "30" }), ok]);
    await expect(g.get()).rejects.toMatchObject({ code: "rate_limited" });
    for (const elapsed of [1_000, 15_000, 29_999]) {
      g.advance(elapsed - (elapsed === 1_000 ? 0 : elapsed === 15_000 ? 1_000 : 15_000));
      await expect(g.get()).rejects.toMatchObject({ code: "rate_limited" });
    }
    expect(g.calls).toHaveLength(1);
    expect(g.gate.isDegraded()).toBe(true);
    g.advance(1);
    expect((await g.get()).status).toBe(200);
    expect(g.calls).toHaveLength(2);
    expect(g.gate.breakerNow()).toBe("closed"); // a 429 is not an outage
  });

  it("reads the wait from X-RateLimit-Reset (seconds) when there is no Retry-After", () => {
    const now = 1_000_000;
    const headers = new Headers({ "x-ratelimit-reset": "12" });
    expect(retryAtAfter429(headers, now, () => 0)).toBe(now + 12_000);
    expect(retryAtAfter429(headers, now, () => 0.999)).toBeLessThan(now + 13_000);
    const date = new Headers({ "retry-after": new Date(now + 5_000).toUTCString() });
    expect(retryAtAfter429(date, now, () => 0)).toBeGreaterThanOrEqual(now + 4_000);
  });

  it("keeps one coach under 80 % of the limit the upstream reports", async () => {
    const tight = { ...POLICY, assumedLimitPerMinute: 5, maxBudgetWaitMs: 0 };
    const g = fakeGate(
      Array.from({ length: 5 }, () => () => new Response("{}")),
      tight,
    );
    for (let i = 0; i < 4; i++) await g.get();
    await expect(g.get()).rejects.toMatchObject({ code: "rate_limited" });
    expect(g.calls).toHaveLength(4);
    g.advance(60_000);
    expect((await g.get()).status).toBe(200);
  });

  it("learns the real limit from X-RateLimit-Limit", async () => {
    const g = fakeGate([ok]);
    await g.get();
    expect(g.gate.state.limitPerMinute).toBe(500);
  });

  it("keeps backoff within the cap", () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      expect(fullJitterDelay(attempt, () => 0.999)).toBeLessThan(POLICY.maxDelayMs);
    }
  });
});
