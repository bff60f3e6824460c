#!/usr/bin/env node
/**
 * Booking page LCP in real Chromium (Debian's /usr/bin/chromium via playwright-core) on an emulated
 * slow phone: 360×740, 4× CPU slowdown, ~1.6 Mbps down / 150 ms RTT, a fresh context (cold cache)
 * per run, largest-contentful-paint read with a PerformanceObserver. `bench/run.mjs` calls
 * bookingPageLcp() for its `widget.bookingPageLcpMs`; `npm run bench:lcp` starts the app on its own
 * (sandbox, Dana signed in so /book/dana-reyes/intro-call exists), measures LCP_RUNS (default 5)
 * runs and stores the result at the same key of bench/results.json, keeping the rest. It also
 * records the LCP element, FCP and the first run's resource waterfall, to say why when it is slow.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.mjs";
import { root, startLocalApp } from "./local-app.mjs";

const LCP_RUNS = Number(process.env.LCP_RUNS ?? 3);
export const LCP_GOAL_MS = 1000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Booking page LCP on an emulated slow phone (360×740, 4× CPU, ~1.6 Mbps / 150 ms RTT). */
export async function bookingPageLcp(origin, runs = LCP_RUNS) {
  const url = `${origin}/book/dana-reyes/intro-call`;
  const emulation = {
    viewport: "360x740",
    cpuThrottlingRate: 4,
    network: "Slow 4G-ish: 1.6 Mbps down, 750 kbps up, 150 ms RTT",
  };
  const unavailable = (reason) => ({ medianMs: null, runsMs: [], url, emulation, reason });
  if (!existsSync(CHROMIUM_PATH)) return unavailable(`Chromium not found at ${CHROMIUM_PATH}`);
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (err) {
    return unavailable(`playwright-core not available: ${err.message}`);
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const runsMs = [];
    const fcpMs = [];
    let first = null;
    for (let i = 0; i < runs; i++) {
      // A fresh context per run: cold HTTP cache, like a first visit.
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await page.goto(url, { waitUntil: "load", timeout: 60_000 });
      await page.waitForSelector("button.slot, h1", { timeout: 60_000 });
      await page.waitForTimeout(1000);
      const seen = await page.evaluate(
        () =>
          new Promise((resolve) => {
            let last = null;
            new PerformanceObserver((list) => {
              const entries = list.getEntries();
              if (entries.length) last = entries.at(-1);
            }).observe({ type: "largest-contentful-paint", buffered: true });
            setTimeout(() => {
              const fcp = performance.getEntriesByName("first-contentful-paint")[0];
              const el = last?.element;
              resolve({
                lcp: last?.startTime ?? null,
                fcp: fcp?.startTime ?? null,
                element: el
                  ? `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ")[0]}` : ""}: ${(el.textContent ?? "").trim().slice(0, 40)}`
                  : null,
                resources: performance.getEntriesByType("resource").map((r) => ({
                  name: new URL(r.name).pathname,
                  startMs: Math.round(r.startTime),
                  endMs: Math.round(r.responseEnd),
                  blocking: r.renderBlockingStatus ?? null,
                })),
              });
            }, 100);
          }),
      );
      const lcp = seen.lcp;
      if (i === 0) first = seen;
      runsMs.push(Math.round(lcp));
      if (typeof seen.fcp === "number") fcpMs.push(Math.round(seen.fcp));
    }
    return {
      medianMs: median(runsMs),
      runsMs,
      goalMs: LCP_GOAL_MS,
      met: median(runsMs) <= LCP_GOAL_MS,
      fcpMedianMs: fcpMs.length ? median(fcpMs) : null,
      lcpElement: first?.element ?? null,
      firstRunResources: first?.resources ?? [],
      url,
      emulation,
    };
  } catch (err) {
    return unavailable(`LCP measurement failed: ${err.message.split("\n")[0]}`);
  } finally {
    await browser?.close().catch(() => {});
  }
}

/** Scripted sandbox sign-in (as test/e2e/helpers.ts scriptedSignIn): returns the session cookie. */
export async function scriptedSignIn(origin, email) {
  const start = await fetch(`${origin}/oauth/calendly/start`, { redirect: "manual" });
  const stateCookie = start.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const authorize = new URL(start.headers.get("location") ?? "", origin);
  authorize.searchParams.set("sandbox_user", email);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = await fetch(new URL(approved.headers.get("location") ?? "", authorize), {
    redirect: "manual",
    headers: { cookie: stateCookie },
  });
  const session = callback.headers
    .getSetCookie()
    .find((c) => c.startsWith("__Host-kairos_session="));
  if (callback.status !== 302 || !session)
    throw new Error(`sandbox sign-in as ${email} failed (callback ${callback.status})`);
  return session.split(";")[0];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await startLocalApp();
  try {
    const cookie = await scriptedSignIn(app.origin, "dana@coach.test");
    await fetch(`${app.origin}/api/event-types/refresh`, {
      method: "POST",
      headers: { cookie, origin: app.origin },
    });
    const lcp = {
      date: new Date().toISOString(),
      ...(await bookingPageLcp(app.origin, Number(process.env.LCP_RUNS ?? 5))),
    };
    console.log(JSON.stringify(lcp, null, 2));
    const file = join(root, "bench", "results.json");
    const results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
    results.widget = { ...results.widget, bookingPageLcpMs: lcp };
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    app.stop();
  }
  process.exit(0);
}
