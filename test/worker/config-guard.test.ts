import { describe, expect, it } from "vitest";
import { assertSafeConfig } from "../../worker/config-guard";

describe("assertSafeConfig", () => {
  it("refuses to start production with the sandbox on", () => {
    expect(() => assertSafeConfig({ ENVIRONMENT: "production", SANDBOX: "1" })).toThrow(/SANDBOX/);
  });
  it("allows production without the sandbox and development with it", () => {
    expect(() => assertSafeConfig({ ENVIRONMENT: "production", SANDBOX: "0" })).not.toThrow();
    expect(() => assertSafeConfig({ ENVIRONMENT: "development", SANDBOX: "1" })).not.toThrow();
  });
});
