/**
 * Security headers on the HTML the worker serves (the booking and manage pages): a CSP whose
 * script-src has no 'unsafe-inline', the coach's frame-ancestors kept, HSTS and a Referrer-Policy.
 * The dashboard's HTML is a static asset: its headers are web/public/_headers (a tools test).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";

const directives = (res: Response) =>
  new Map(
    (res.headers.get("content-security-policy") ?? "")
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(" ")[0], d] as const),
  );

describe("HTML security headers", () => {
  it.each(["/book/{slug}", "/book/{slug}/intro-call", "/manage/not-a-token"])(
    "%s: CSP without unsafe-inline scripts, frame-ancestors, HSTS, Referrer-Policy",
    async (template) => {
      const { slug } = await readyCoach();
      const res = await exports.default.fetch(`${ORIGIN}${template.replace("{slug}", slug)}`);
      const csp = directives(res);
      expect(csp.get("script-src")).toBeDefined();
      expect(csp.get("script-src")).not.toContain("unsafe-inline");
      expect(csp.get("object-src")).toBe("object-src 'none'");
      expect(csp.get("base-uri")).toBe("base-uri 'none'");
      expect(csp.get("frame-ancestors")).toMatch(/^frame-ancestors 'self'/);
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect(res.headers.get("referrer-policy")).toBeTruthy();
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    },
  );
});
