import { describe, expect, it } from "vitest";
import { afterFailure, RETRY_WINDOW_MS } from "../../../../worker/sandbox/calendly/webhook-retry";

const MIN = 60_000;
const queuedAt = Date.parse("2026-12-01T10:00:00Z");

describe("the fake Calendly's webhook retry schedule", () => {
  it("deletes the subscription on 410 Gone, at once and even on the first try", () => {
    expect(afterFailure(410, 1, queuedAt, queuedAt)).toEqual({ action: "delete_subscription" });
    expect(afterFailure(410, 9, queuedAt, queuedAt + 5 * 3_600_000)).toEqual({
      action: "delete_subscription",
    });
  });

  it.each([0, 301, 400, 404, 429, 500, 503])("retries a %i with growing gaps", (status) => {
    const gaps: number[] = [];
    let now = queuedAt;
    for (let attempts = 1; attempts <= 8; attempts++) {
      const next = afterFailure(status, attempts, queuedAt, now);
      if (next.action !== "retry") throw new Error(`stopped at ${attempts}`);
      gaps.push((next.at - now) / MIN);
      now = next.at;
    }
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it("keeps retrying for 24 hours, tries once more at the end, then disables", () => {
    let now = queuedAt;
    let attempts = 1;
    const times: number[] = [];
    for (;;) {
      const next = afterFailure(500, attempts, queuedAt, now);
      if (next.action === "disable_subscription") break;
      if (next.action !== "retry") throw new Error(next.action);
      expect(next.at).toBeGreaterThan(now);
      times.push(next.at);
      now = next.at;
      attempts++;
    }
    expect(times.at(-1)).toBe(queuedAt + RETRY_WINDOW_MS);
    expect(now - queuedAt).toBe(RETRY_WINDOW_MS);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });

  it("disables a delivery found past its window, without another try", () => {
    expect(afterFailure(500, 1, queuedAt, queuedAt + RETRY_WINDOW_MS + 1)).toEqual({
      action: "disable_subscription",
    });
  });
});
