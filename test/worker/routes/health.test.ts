import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /api/health", () => {
  it("reports ok with real D1 and KV checks", async () => {
    const res = await exports.default.fetch("http://kairos.test/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toEqual({
      status: "ok",
      version: expect.any(String),
      sandbox: true,
      publicDemo: false,
      checks: { db: "ok", kv: "ok" },
    });
  });
});
