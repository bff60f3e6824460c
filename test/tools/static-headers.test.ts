/**
 * The dashboard's HTML is served straight from Workers static assets, so its security headers are
 * the `_headers` file Vite copies into dist/ (web/public/_headers). Every static response (index.html
 * for "/" and each SPA route) gets a CSP whose script-src has no 'unsafe-inline', frame-ancestors
 * 'self', HSTS and a Referrer-Policy; and the built HTML has no inline script that CSP would block.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** `_headers` rules: path pattern → header name (lower case) → value. */
function parseHeaders(text: string) {
  const rules = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      current = new Map();
      rules.set(line.trim(), current);
    } else if (current) {
      const at = line.indexOf(":");
      current.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
    }
  }
  return rules;
}

describe("static asset headers (web/public/_headers)", () => {
  const all = parseHeaders(readFileSync(resolve(root, "web/public/_headers"), "utf8")).get("/*");

  it("gives every static response a strict CSP, HSTS and a Referrer-Policy", () => {
    expect(all).toBeDefined();
    const csp = new Map(
      (all?.get("content-security-policy") ?? "")
        .split(";")
        .map((d) => d.trim())
        .map((d) => [d.split(" ")[0], d] as const),
    );
    expect(csp.get("script-src")).toBe("script-src 'self'");
    expect(csp.get("frame-ancestors")).toBe("frame-ancestors 'self'");
    expect(csp.get("object-src")).toBe("object-src 'none'");
    expect(csp.get("base-uri")).toBe("base-uri 'none'");
    expect(all?.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
    expect(all?.get("referrer-policy")).toBeTruthy();
    expect(all?.get("x-content-type-options")).toBe("nosniff");
  });

  it("is where Vite copies public files from (the root is web/)", () => {
    const config = readFileSync(resolve(root, "vite.config.ts"), "utf8");
    expect(config).toMatch(/root: "web"/);
    expect(config).not.toMatch(/publicDir:/);
  });

  it.each(["web/index.html", "web/book.html"])("%s has no inline script", (file) => {
    const html = readFileSync(resolve(root, file), "utf8");
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
      ([, attrs, body]) => !/\bsrc=/.test(attrs ?? "") && (body ?? "").trim() !== "",
    );
    expect(inline).toEqual([]);
  });
});
