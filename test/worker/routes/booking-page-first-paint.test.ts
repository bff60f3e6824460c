/**
 * The booking page paints its largest text from the HTML alone (bench: scripts/bench-lcp.mjs):
 * the heading is rendered by the worker, escaped, and the stylesheet is inlined, so nothing
 * render-blocking waits on a second request or on the script and the profile fetch.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";

describe("booking page first paint", () => {
  it("carries the coach's heading, escaped, and an inline stylesheet instead of a link", async () => {
    await readyCoach();
    // A name that would break out of the markup if it were not escaped (before the profile cache).
    await env.AVAILABILITY_CACHE.delete("public-coach:dana-reyes");
    await env.DB.prepare("update coaches set name = ? where slug = 'dana-reyes'")
      .bind(`Dana "<b>" & $& Reyes`)
      .run();
    const res = await exports.default.fetch(`${ORIGIN}/book/dana-reyes/intro-call`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Book with Dana &#34;&#60;b&#62;&#34; &#38; $&#38; Reyes</h1>");
    expect(html).toContain('data-coach-name="Dana &#34;&#60;b&#62;&#34; &#38; $&#38; Reyes"');
    expect(html).not.toContain("<b>");
    expect(html).toMatch(/<style>[^<]*\S[^<]*<\/style>/);
    expect(html).not.toMatch(/<link rel="stylesheet"/);
  });

  it("a slug with no coach keeps the plain shell; the manage page inlines its stylesheet too", async () => {
    const missing = await exports.default.fetch(`${ORIGIN}/book/nobody-here`);
    expect(missing.status).toBe(404);
    const shell = await missing.text();
    expect(shell).toContain('<main id="book"></main>');
    expect(shell).toMatch(/<style>/);

    const manage = await (await exports.default.fetch(`${ORIGIN}/manage/whatever`)).text();
    expect(manage).toContain('<main id="book"></main>');
    expect(manage).toMatch(/<style>/);
    expect(manage).not.toMatch(/<link rel="stylesheet"/);
  });
});
