/**
 * The booking widget end to end, in Chromium: a coach's site on a second local origin embeds
 * /embed.js; a client books; the host page hears `booked`; the sandbox Calendly holds the invitee;
 * a message from a foreign origin is ignored; a dead booking page makes the loader fall back to
 * Calendly's widget (a local stand-in) and report `error`. Also measures nothing: speed is benched.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "./app-server";
import { launchChromium, scriptedSignIn } from "./helpers";

let app: RunningApp;
let browser: Browser;
let host: Server;
let foreign: Server;
let hostOrigin = "";
let foreignOrigin = "";

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }),
  );

/** The coach's website: the widget, and a log of every event it reports. */
const hostPage = (timeout: number) => `<!doctype html><html><head><title>Coach site</title></head>
<body><h1>Dana's coaching</h1><div id="booking"></div>
<script>
  window.events = [];
  const log = (name) => (payload) => window.events.push([name, payload]);
  window.Kairos = { q: ["ready", "viewed", "timeSelected", "booked", "error"].map((e) => ["on", e, log(e)]) };
</script>
<script async src="${app.origin}/embed.js" data-coach="dana-reyes" data-event-type="intro-call"
  data-mode="inline" data-target="#booking" data-timeout="${timeout}"
  data-calendly-url="${hostOrigin}/calendly/dana/intro-call"
  data-calendly-script="${hostOrigin}/calendly-widget.js"></script>
<iframe id="foreign" src="${foreignOrigin}/forge.html" title="ad"></iframe>
</body></html>`;

/** A stand-in for Calendly's widget.js: renders a marker where the real widget would go. */
const calendlyStandIn = `window.Calendly = { initInlineWidget: function (o) {
  var d = document.createElement("div"); d.id = "calendly-stand-in";
  d.textContent = "Calendly widget for " + o.url; o.parentElement.appendChild(d); } };`;

/** A frame on a foreign origin trying to fake a booking to the host page. */
const forgePage = `<!doctype html><script>
  for (const id of ["w1", "k1", "kairos-1", "0"]) {
    parent.postMessage({ kairos: 1, id, type: "booked", payload: { forged: true } }, "*");
  }
</script>`;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  host = createServer((req, res) => {
    const timeout = Number(new URL(req.url ?? "/", "http://x").searchParams.get("timeout") ?? 8000);
    if (req.url?.startsWith("/calendly-widget.js")) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(calendlyStandIn);
    } else {
      res.writeHead(200, { "content-type": "text/html" }).end(hostPage(timeout));
    }
  });
  foreign = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end(forgePage),
  );
  hostOrigin = await listen(host);
  foreignOrigin = await listen(foreign);

  const cookie = await scriptedSignIn(app.origin, "dana@coach.test");
  const headers = { cookie, "content-type": "application/json" };
  const refreshed = await fetch(`${app.origin}/api/event-types/refresh`, {
    method: "POST",
    headers,
  });
  expect(refreshed.status).toBe(200);
  const allowed = await fetch(`${app.origin}/api/booking-settings`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ embedOrigins: [hostOrigin] }),
  });
  expect(allowed.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  host?.close();
  foreign?.close();
  await app?.stop();
});

type Logged = [string, Record<string, unknown> | undefined];
const events = (page: Page) =>
  page.evaluate(() => (window as unknown as { events: Logged[] }).events);
async function waitForEvent(page: Page, name: string, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const found = (await events(page)).find(([e]) => e === name);
    if (found) return found[1];
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${name} event; saw ${JSON.stringify(await events(page))}`);
}

describe("the booking widget on a coach's site", () => {
  it("books through the embedded page and tells the host; forged messages are ignored", async () => {
    const page = await browser.newPage();
    await page.goto(`${hostOrigin}/?timeout=8000`);
    await waitForEvent(page, "ready");
    const frame = page.frameLocator('iframe[src*="/book/dana-reyes"]');
    await frame.getByRole("heading", { name: "Book with Dana Reyes" }).waitFor({ timeout: 15_000 });
    await frame.locator("button.slot").first().click();
    await frame.getByLabel("Your name").fill("Robin Client");
    await frame.getByLabel("Email").fill("robin.client@client.test");
    await page.waitForTimeout(3_100); // a person takes longer than the form's minimum fill time
    await frame.getByRole("button", { name: "Confirm booking" }).click();
    await frame
      .getByRole("heading", { name: "You're booked" })
      .waitFor({ timeout: 40_000 })
      .catch(async (err) => {
        // Say what the client saw instead (an error message, fresh slots…).
        throw new Error(
          `${err}\n${await frame
            .locator("body")
            .innerText()
            .catch(() => "")}`,
        );
      });

    const booked = (await waitForEvent(page, "booked")) as { id: string; startTime: string };
    expect(booked.id).toMatch(/^bki_/);
    expect(Date.parse(booked.startTime)).toBeGreaterThan(Date.now());
    const all = await events(page);
    expect(all.filter(([e]) => e === "booked")).toHaveLength(1);
    expect(all.some(([, p]) => p?.forged)).toBe(false);

    const exported = await fetch(
      `${app.origin}/sandbox/calendly/control/export?coachEmail=dana@coach.test`,
    );
    const { invitees } = (await exported.json()) as {
      invitees: { status: string; startTime: string }[];
    };
    const atThatTime = invitees.filter(
      (i) => i.status === "active" && Date.parse(i.startTime) === Date.parse(booked.startTime),
    );
    expect(atThatTime).toHaveLength(1);
    await page.close();
  });

  it("falls back to Calendly's widget and reports error when the booking page is down", async () => {
    const page = await browser.newPage();
    await page.route("**/book/**", (route) => route.abort());
    await page.goto(`${hostOrigin}/?timeout=1500`);
    await page.locator("#calendly-stand-in").waitFor({ timeout: 30_000 });
    const errors = (await events(page)).filter(([e]) => e === "error").map(([, p]) => p?.stage);
    expect(errors).toContain("booking_page");
    expect(errors.indexOf("booking_page")).toBe(0);
    await page.close();
  });
});
