/**
 * The API reference page (/api/docs, Scalar) is served with a CSP whose script-src has no
 * 'unsafe-inline': its one inline script is allowed by hash, and nothing outside Kairos is allowed.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "../helpers/sign-in";

const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(" ")[0] ?? "", d.split(" ").slice(1)] as const),
  );

async function sha256(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

describe("GET /api/docs", () => {
  it("has a CSP: inline scripts by hash only, nothing from other origins", async () => {
    const res = await exports.default.fetch(`${ORIGIN}/api/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    expect(csp.get("default-src")).toEqual(["'none'"]);
    const scriptSrc = csp.get("script-src") ?? [];
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)];
    expect(inline.length).toBeGreaterThan(0);
    for (const [, body = ""] of inline) expect(scriptSrc).toContain(await sha256(body));
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    const everySource = [...csp.values()].flat();
    expect(everySource.filter((s) => /^https?:|^\*/.test(s))).toEqual([]);
    // The page itself names no CDN: the reference's script is ours, the default fonts are off.
    expect(html).toContain('src="/vendor/scalar-api-reference.js"');
    expect(html).not.toMatch(/https:\/\/(cdn|fonts)\./);
  });
});
