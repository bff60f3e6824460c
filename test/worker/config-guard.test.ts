import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  assertSafeConfig,
  deploymentOf,
  isLocalHostname,
  sandboxRefusal,
} from "../../worker/config-guard";

const local = { APP_URL: "http://localhost:8787", SANDBOX: "1" };
const demo = {
  APP_URL: "https://demo.example.com",
  SANDBOX: "1",
  PUBLIC_DEMO: "1",
  CALENDLY_AUTH_BASE: "https://demo.example.com/sandbox/calendly",
  CALENDLY_API_BASE: "https://demo.example.com/sandbox/calendly",
};

describe("where Kairos runs is derived from its address", () => {
  it("knows the names that can never be on the internet", () => {
    for (const host of ["localhost", "127.0.0.1", "[::1]", "app.localhost", "kairos.test"]) {
      expect(isLocalHostname(host)).toBe(true);
    }
    for (const host of ["kairos.example.com", "kairos.dana.workers.dev", "localhost.evil.com"]) {
      expect(isLocalHostname(host)).toBe(false);
    }
  });

  it("treats any public APP_URL as production, whatever else the vars say", () => {
    expect(deploymentOf(local)).toBe("local");
    expect(deploymentOf({ APP_URL: "https://kairos.example.com" })).toBe("production");
    expect(deploymentOf(demo)).toBe("public-demo");
  });

  it("refuses to start the sandbox on a public host unless it is a deliberate demo", () => {
    expect(() => assertSafeConfig({ APP_URL: "https://kairos.example.com", SANDBOX: "1" })).toThrow(
      /SANDBOX=1 on a public host/,
    );
    expect(() =>
      assertSafeConfig({ APP_URL: "https://kairos.example.com", SANDBOX: "0" }),
    ).not.toThrow();
    expect(() => assertSafeConfig(local)).not.toThrow();
    expect(() => assertSafeConfig(demo)).not.toThrow();
  });

  it("refuses a public demo that could reach the real Calendly", () => {
    expect(() =>
      assertSafeConfig({ ...demo, CALENDLY_API_BASE: "https://api.calendly.com" }),
    ).toThrow(/never reach a real Calendly/);
    expect(() => assertSafeConfig({ ...demo, SANDBOX: "0" })).toThrow(
      /PUBLIC_DEMO=1 needs SANDBOX=1/,
    );
  });

  it("serves the sandbox only to requests for a local host (or a declared demo)", () => {
    expect(sandboxRefusal(local, "http://localhost:8787/sandbox")).toBeNull();
    // A plain `wrangler deploy` of the development config: local vars, public workers.dev host.
    expect(sandboxRefusal(local, "https://kairos-dev.dana.workers.dev/sandbox")).toBe(
      "public_request_host",
    );
    expect(sandboxRefusal({ ...local, SANDBOX: "0" }, "http://localhost/sandbox")).toBe(
      "sandbox_off",
    );
    expect(sandboxRefusal(demo, "https://demo.example.com/sandbox")).toBeNull();
  });
});

describe("the mounted sandbox", () => {
  it("answers on the test's local host and is 404 for a request to a public host", async () => {
    const own = await exports.default.fetch("http://kairos.test/sandbox");
    expect(own.status).toBe(200);
    const foreign = await exports.default.fetch("https://kairos.example.com/sandbox");
    expect(foreign.status).toBe(404);
    const api = await exports.default.fetch("https://kairos.example.com/sandbox/calendly/users/me");
    expect(api.status).toBe(404);
    // Developer tools live under /dev: never served on a public host (and never the SPA's HTML).
    const dev = await exports.default.fetch("https://kairos.example.com/dev/mailbox");
    expect(dev.status).toBe(404);
    expect(dev.headers.get("content-type")).toMatch(/json/);
  });
});
