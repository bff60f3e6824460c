/**
 * The coach dashboard in Chromium, as Dana: the sessions list shows her seeded sessions; search
 * narrows it; the detail view opens; canceling one with a reason cancels it in Kairos and in the
 * sandbox; a batch no-show of three past sessions shows progress and three results; dragging an
 * availability block saves it to the sandbox and its slots appear in GET /api/availability. Every page is
 * checked with axe-core (no serious or critical violations) and photographed at 1280 and 360 px
 * into test-results/.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "./app-server";
import { launchChromium, scriptedSignIn } from "./helpers";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);
const SHOTS = "test-results/screenshots";

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let cookie = "";

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  cookie = await scriptedSignIn(app.origin, "dana@coach.test");
  // The first sign-in imports Dana's sessions in the background: wait for them.
  for (let i = 0; i < 120; i++) {
    const from = new Date().toISOString();
    const res = await fetch(`${app.origin}/api/sessions?limit=5&from=${from}`, {
      headers: { cookie },
    });
    const { items } = (await res.json()) as { items: unknown[] };
    if (items.length >= 5) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const [name, value] = cookie.split("=");
  context = await browser.newContext();
  // A `__Host-` cookie must be Secure; Chromium only takes a Secure one for http://localhost by domain.
  const domain = new URL(app.origin).hostname;
  await context.addCookies([
    { name: name ?? "", value: value ?? "", domain, path: "/", secure: true },
  ]);
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** No serious or critical accessibility violations, and a screenshot at desktop and phone width. */
async function checkPage(page: Page, name: string) {
  // Evaluated through the DevTools protocol, not as an inline <script>: the dashboard's CSP
  // (script-src 'self') rightly refuses inline scripts, and the page stays under it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        nodes: (v as unknown as { nodes: { html: string }[] }).nodes.map((n) => n.html).slice(0, 3),
      }));
  });
  expect(violations).toEqual([]);
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("the dashboard, as Dana", () => {
  it("lists, searches, opens and cancels a session with a reason", async () => {
    const page = await context.newPage();
    await page.goto(`${app.origin}/sessions`);
    const cards = page.locator("li[data-session]");
    await cards.first().waitFor({ timeout: 20_000 });
    const total = await cards.count();
    expect(total).toBeGreaterThan(1);
    await checkPage(page, "sessions");

    const firstName = (await cards.first().locator("h2").innerText()).split(",")[0]?.trim() ?? "";
    await page.getByLabel("Search").fill(firstName);
    await page.waitForFunction(
      (n) => document.querySelectorAll("li[data-session]").length < n,
      total,
      { timeout: 10_000 },
    );
    const narrowed = await cards.allInnerTexts();
    expect(narrowed.every((t) => t.includes(firstName))).toBe(true);

    await cards.first().locator("h2 a").click();
    await page.getByRole("heading", { name: "Invitees" }).waitFor();
    const sessionId = page.url().split("/sessions/")[1] ?? "";
    await checkPage(page, "session");
    page.once("dialog", (d) => d.accept());
    await page.getByLabel("Reason (the client sees it)").fill("Coach is travelling");
    await page.getByRole("button", { name: "Cancel session" }).click();
    await page.locator(".badge-canceled").first().waitFor({ timeout: 15_000 });

    const res = await fetch(`${app.origin}/api/sessions/${sessionId}`, { headers: { cookie } });
    const session = (await res.json()) as { status: string; calendlyUri: string };
    expect(session.status).toBe("canceled");
    const exported = await fetch(
      `${app.origin}/sandbox/calendly/control/export?coachEmail=dana@coach.test`,
    );
    const { invitees } = (await exported.json()) as {
      invitees: { eventUri: string; eventStatus: string }[];
    };
    expect(invitees.find((i) => i.eventUri === session.calendlyUri)?.eventStatus).toBe("canceled");
    await page.close();
  });

  it("marks three past sessions as no-shows in one batch, with progress and three results", async () => {
    const page = await context.newPage();
    await page.goto(`${app.origin}/sessions`);
    await page.locator("li[data-session]").first().waitFor({ timeout: 20_000 });
    // Until the past list arrives the upcoming one stays on screen: select only from the past one.
    const pastList = page.waitForResponse(
      (r) => r.url().includes("/api/sessions?") && new URL(r.url()).searchParams.has("to"),
    );
    await page.getByRole("tab", { name: "Past" }).click();
    await (await pastList).finished();
    await page.waitForFunction(() => true); // one animation frame: the past list is rendered
    const boxes = page.locator("li[data-session]:not(.canceled) input[type=checkbox]");
    await boxes.first().waitFor({ timeout: 20_000 });
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Mark as no-show" }).click();
    await page
      .getByText("Done: 3 of 3")
      .waitFor({ timeout: 30_000 })
      .catch(async (err) => {
        throw new Error(`${err}\n${await page.locator("main").innerText()}`);
      });
    const results = await page.locator(".results li").allInnerTexts();
    expect(
      results.filter((r) => r.endsWith("— done")),
      results.join("\n"),
    ).toHaveLength(3);
    await checkPage(page, "sessions-batch");
    await page.close();
  });

  it("drags a new availability block, moves and resizes it, saves it to Calendly, and its slots appear", async () => {
    const page = await context.newPage();
    await page.goto(`${app.origin}/availability`);
    const saturday = page.getByTestId("day-saturday");
    await saturday.waitFor({ timeout: 20_000 });
    await checkPage(page, "availability");
    // Tall enough that the whole day is on screen (pointer events only happen in the viewport).
    await page.setViewportSize({ width: 1280, height: 1800 });
    const box = await saturday.boundingBox();
    if (!box) throw new Error("no Saturday column");
    // The grid starts at 06:00 with 0.8 px per minute: drag from 08:00 to 09:30.
    const x = box.x + box.width / 2;
    await page.mouse.move(x, box.y + 120 * 0.8 + 1);
    await page.mouse.down();
    await page.mouse.move(x, box.y + 150 * 0.8, { steps: 5 });
    await page.mouse.move(x, box.y + 210 * 0.8 + 1, { steps: 5 });
    await page.mouse.up();
    await page.getByRole("button", { name: "Saturday 08:00–09:30, remove" }).waitFor();
    // Move it an hour later (drag its middle), then stretch it to 11:00 (drag its bottom edge).
    const y = (minute: number) => box.y + (minute - 360) * 0.8;
    await page.mouse.move(x, y(525));
    await page.mouse.down();
    await page.mouse.move(x, y(555), { steps: 4 });
    await page.mouse.move(x, y(585) + 1, { steps: 4 });
    await page.mouse.up();
    await page.getByRole("button", { name: "Saturday 09:00–10:30, remove" }).waitFor();
    await page.mouse.move(x, y(630) - 2);
    await page.mouse.down();
    await page.mouse.move(x, y(660) + 1, { steps: 4 });
    await page.mouse.up();
    await page
      .getByRole("button", { name: "Saturday 09:00–11:00, remove" })
      .waitFor({ timeout: 5_000 })
      .catch(async (err) => {
        const labels = await page
          .locator("[data-testid=day-saturday] .block")
          .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
        throw new Error(`${err}\nSaturday blocks: ${labels.join(" | ")}`);
      });
    await page.getByRole("button", { name: "Save to Calendly" }).click();
    await page.getByText("Saved. Calendly now offers these hours.").waitFor({ timeout: 15_000 });

    const saturdaySlots = await page.evaluate(async () => {
      const types = (await (await fetch("/api/event-types")).json()) as {
        items: { id: string; name: string }[];
      };
      const intro = types.items.find((t) => t.name === "Intro Call");
      const from = new Date().toISOString();
      const to = new Date(Date.now() + 14 * 86_400_000).toISOString();
      const res = await fetch(`/api/availability?eventType=${intro?.id}&from=${from}&to=${to}`);
      const { slots } = (await res.json()) as { slots: string[] };
      const fmt = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        weekday: "long",
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
      });
      return slots.map((s) => fmt.format(new Date(s))).filter((s) => s.startsWith("Saturday"));
    });
    expect(saturdaySlots).toEqual(expect.arrayContaining(["Saturday 09:00", "Saturday 10:00"]));
    expect(saturdaySlots).not.toContain("Saturday 08:00");
    await page.close();
  });

  it("shows a paid session's payment and answers, exports a selection, and opens the client's page", async () => {
    type Item = {
      id: string;
      name: string;
      invitees: { email: string; payment: { amount: number | null } | null }[];
    };
    const res = await fetch(`${app.origin}/api/sessions?limit=100&order=desc&status=active`, {
      headers: { cookie },
    });
    const { items } = (await res.json()) as { items: Item[] };
    const paid = items.find((s) => s.name === "Coaching Session" && s.invitees[0]?.payment);
    expect(paid, "a seeded Coaching Session carries Calendly's payment").toBeTruthy();
    const page = await context.newPage();
    await page.goto(`${app.origin}/sessions/${paid?.id}`);
    await page.getByText("Paid $150.00 (stripe).").waitFor({ timeout: 15_000 });
    await page.getByText("What would you like to focus on in this session?").waitFor();
    await checkPage(page, "session-paid");

    await page.goto(`${app.origin}/sessions`);
    const boxes = page.locator("li[data-session] input[type=checkbox]");
    await boxes.first().waitFor({ timeout: 20_000 });
    for (let i = 0; i < 2; i++) await boxes.nth(i).check();
    await page.getByRole("button", { name: "Export selected" }).click();
    const csvLink = page.getByRole("link", { name: "Download CSV" });
    await csvLink.waitFor({ timeout: 30_000 });
    const csv = await (
      await fetch(`${app.origin}${await csvLink.getAttribute("href")}`, { headers: { cookie } })
    ).text();
    expect(csv.trim().split("\n")).toHaveLength(3); // header + the two selected sessions

    const email = paid?.invitees[0]?.email ?? "";
    await page.goto(`${app.origin}/clients/${encodeURIComponent(email)}`);
    await page.locator("main h1").first().waitFor({ timeout: 15_000 });
    await page.waitForLoadState("networkidle");
    await checkPage(page, "client");
    await page.close();
  });

  it("keeps the other pages accessible and photographs them", async () => {
    for (const [path, name] of [
      ["/", "event-types"],
      ["/settings", "settings"],
      ["/clients", "clients"],
    ] as const) {
      const page = await context.newPage();
      await page.goto(`${app.origin}${path}`);
      await page.locator("main h1").first().waitFor({ timeout: 15_000 });
      await page.waitForLoadState("networkidle");
      await checkPage(page, name);
      await page.close();
    }
  });
});
