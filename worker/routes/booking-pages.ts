/**
 * The client-facing pages: /book/:coach/:eventType? and /manage/:token (one small Vite entry,
 * dist/book.html) and the /embed.js loader. The booking page may be framed only by the coach's
 * allowed origins (CSP frame-ancestors), and learns the host origin it may talk to from us — after we
 * checked it against that same list — never from the host itself.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { publicCoach } from "../public-booking/profile";

const EMBED_ID = /^[\w-]{1,64}$/;
/** Manage tokens are at most this long (the public API's bound); a longer one is a 404 page. */
const MAX_TOKEN_LENGTH = 300;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The page's HTML. Two things make it paint sooner on a slow phone (bench: scripts/bench-lcp.mjs):
 * its small stylesheet is inlined (no render-blocking round trip after the HTML), and the booking
 * page's heading — its largest text — is in the HTML already instead of after the script and the
 * profile request; the app renders the same heading over it.
 */
async function pageHtml(
  env: Env,
  url: string,
  config: Record<string, unknown>,
  coachName: string | null = null,
) {
  const res = await env.ASSETS.fetch(new URL("/book.html", url));
  let html = await res.text();
  const link = html.match(/<link rel="stylesheet"[^>]*href="(\/assets\/[\w.-]+\.css)"[^>]*>/);
  if (link?.[1]) {
    const css = await env.ASSETS.fetch(new URL(link[1], url));
    // Only "</style" could end a <style> element early: a sheet containing it keeps its link.
    const text = css.ok ? await css.text() : "";
    if (text && !/<\/style/i.test(text))
      html = html.replace(link[0], () => `<style>${text}</style>`);
  }
  if (coachName)
    html = html.replace(
      '<main id="book"></main>',
      () =>
        `<main id="book" data-coach-name="${escapeHtml(coachName)}"><section><h1>Book with ${escapeHtml(coachName)}</h1><p class="muted" role="status">Loading…</p></section></main>`,
    );
  // JSON inside <script>: escape "<" so no value can close the tag.
  const json = JSON.stringify(config).replaceAll("<", "\\u003c");
  // A function, not a string: "$&" and the like in a value must stay literal.
  return html.replace(
    "</head>",
    () => `<script id="kairos-config" type="application/json">${json}</script></head>`,
  );
}

/**
 * The client pages' CSP: our own scripts and Turnstile's only (no 'unsafe-inline': the config is
 * a JSON data block, never executed), framed by the coach's allowed origins and nobody else.
 * Inline styles stay allowed for the Turnstile widget.
 */
const TURNSTILE = "https://challenges.cloudflare.com";
const clientCsp = (origins: string[]) =>
  [
    "default-src 'self'",
    `script-src 'self' ${TURNSTILE}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${TURNSTILE}`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    `frame-ancestors 'self'${origins.map((o) => ` ${o}`).join("")}`,
  ].join("; ");

export const bookingPageRoutes = new Hono<AppEnv>()
  .get("/embed.js", async (c) => {
    const res = await c.env.ASSETS.fetch(new URL("/embed.js", c.req.url));
    return new Response(res.body, {
      status: res.status,
      headers: {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": "public, max-age=300, stale-while-revalidate=86400",
      },
    });
  })
  .get("/book/:coach/:eventType?", async (c) => {
    const coach = await publicCoach(c.env, c.var.db, c.req.param("coach"));
    const origins = coach?.embedOrigins ?? [];
    const embedOrigin = c.req.query("embed_origin") ?? null;
    const embedId = c.req.query("embed_id") ?? null;
    const allowed = embedOrigin !== null && origins.includes(embedOrigin);
    const html = await pageHtml(
      c.env,
      c.req.url,
      {
        embedOrigin: allowed ? embedOrigin : null,
        embedId: allowed && embedId && EMBED_ID.test(embedId) ? embedId : null,
      },
      coach?.name ?? null,
    );
    return c.html(html, coach ? 200 : 404, {
      "Content-Security-Policy": clientCsp(origins),
      "Cache-Control": "private, no-cache",
    });
  })
  .get("/manage/:token", async (c) => {
    const html = await pageHtml(c.env, c.req.url, { embedOrigin: null, embedId: null });
    const plausible = c.req.param("token").length <= MAX_TOKEN_LENGTH;
    return c.html(html, plausible ? 200 : 404, {
      "Content-Security-Policy": clientCsp([]),
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
    });
  });
