/**
 * GET /api/docs: the Scalar API reference (its script is vendored at /vendor/, so nothing loads
 * from a CDN) under a strict CSP. Scalar's page has one inline script (the call that starts the
 * reference), allowed by its sha256 hash, computed from the HTML actually served so it cannot drift
 * from the Scalar version. Styles need 'unsafe-inline': Scalar's theme is an inline <style> and its
 * components set styles at run time, which no hash can cover; inline styles cannot run code.
 * connect-src 'self' keeps the page talking to Kairos only (no fonts CDN, no telemetry, no proxy).
 */
import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import type { AppEnv } from "../env";

const scalar = Scalar<AppEnv>({
  url: "/openapi.json",
  pageTitle: "Kairos API",
  cdn: "/vendor/scalar-api-reference.js",
  withDefaultFonts: false,
});

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

async function sha256Source(text: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

export const docsCsp = (scriptHashes: string[]) =>
  [
    "default-src 'none'",
    `script-src 'self' ${scriptHashes.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");

export async function apiDocs(c: Context<AppEnv>) {
  // Scalar's handler always answers (it never calls next): its page is the HTML to hash.
  const page = (await scalar(c, async () => {})) as Response;
  const html = await page.text();
  const hashes = await Promise.all(
    [...html.matchAll(INLINE_SCRIPT)].map((m) => sha256Source(m[1] ?? "")),
  );
  return c.html(html, 200, { "Content-Security-Policy": docsCsp(hashes) });
}
