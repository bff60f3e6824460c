/**
 * Attendance in Chromium, end to end in the sandbox: Dana connects Zoom, sets Coaching Session to
 * Zoom, a client books it, Kairos makes the meeting; the fake Zoom plays "client never came" for
 * that meeting (ending now), its signed webhooks reach Kairos, and the session page's Attendance
 * panel shows the host's minutes and the proposed no-show with Confirm / Dismiss; Dismiss works.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "./app-server";
import { launchChromium, scriptedSignIn } from "./helpers";

let app: RunningApp;
let browser: Browser;
let cookie = "";

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

async function api(path: string, init: RequestInit = {}) {
  const headers = {
    cookie,
    origin: app.origin,
    "content-type": "application/json",
    ...init.headers,
  };
  return fetch(`${app.origin}${path}`, { ...init, headers });
}

async function connectZoom() {
  const start = await fetch(`${app.origin}/oauth/zoom/start`, {
    redirect: "manual",
    headers: { cookie },
  });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location") ?? "");
  authorize.searchParams.set("sandbox_user", "dana@coach.test");
  const approved = await fetch(authorize, { redirect: "manual" });
  const back = await fetch(approved.headers.get("location") ?? "", {
    redirect: "manual",
    headers: { cookie: [cookie, cookiesOf(start)].filter(Boolean).join("; ") },
  });
  expect(back.status).toBe(302);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, tries = 120) {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
  cookie = await scriptedSignIn(app.origin, "dana@coach.test");
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the Attendance panel", { timeout: 180_000 }, () => {
  it("shows a played scenario's verdict on the session page, with Confirm / Dismiss", async () => {
    await connectZoom();
    const types = (await (await api("/api/event-types")).json()) as {
      items: { id: string; slug: string | null }[];
    };
    const coaching = types.items.find((t) => t.slug === "coaching-session");
    if (!coaching) throw new Error("no Coaching Session type");
    const set = await api(`/api/event-types/${coaching.id}/conferencing`, {
      method: "PUT",
      body: JSON.stringify({ provider: "zoom" }),
    });
    expect(set.status).toBe(200);

    const slots = (await (
      await fetch(
        `${app.origin}/sandbox/calendly/control/slots?coachEmail=dana@coach.test&eventTypeSlug=coaching-session`,
      )
    ).json()) as { slots: string[] };
    const startTime = slots.slots[0];
    if (!startTime) throw new Error("no open slot");
    const booked = await fetch(`${app.origin}/sandbox/calendly/control/book`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        coachEmail: "dana@coach.test",
        eventTypeSlug: "coaching-session",
        startTime,
        invitee: { name: "Ada Absent", email: "ada.absent@client.test" },
      }),
    });
    expect(booked.status).toBeLessThan(300);

    const session = await waitFor("the session's Zoom meeting", async () => {
      const res = await api(`/api/sessions?limit=100&from=${encodeURIComponent(startTime)}`);
      const { items } = (await res.json()) as {
        items: {
          id: string;
          startTime: string;
          invitees: { email: string }[];
          zoom: { status: string; meetingId: string | null } | null;
        }[];
      };
      const s = items.find((i) => i.invitees.some((v) => v.email === "ada.absent@client.test"));
      return s?.zoom?.status === "ready" && s.zoom.meetingId ? s : undefined;
    });

    const played = await fetch(`${app.origin}/sandbox/zoom/control/simulate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        meetingId: session.zoom?.meetingId,
        scenario: "client_no_show",
        clock: "now",
      }),
    });
    expect(played.status).toBe(200);
    await waitFor("the proposed no-show", async () => {
      const res = await api(`/api/sessions/${session.id}/attendance`);
      const a = (await res.json()) as { invitees: { verdict: string }[] };
      return a.invitees[0]?.verdict === "no_show_proposed" ? a : undefined;
    });

    const context = await browser.newContext();
    const [name, value] = cookie.split("=");
    await context.addCookies([
      {
        name: name ?? "",
        value: value ?? "",
        domain: new URL(app.origin).hostname,
        path: "/",
        secure: true,
      },
    ]);
    const page = await context.newPage();
    await page.goto(`${app.origin}/sessions/${session.id}`);
    const panel = page.getByRole("region", { name: "Attendance" });
    await panel.waitFor();
    expect(await panel.getByText("You (host)").count()).toBe(1);
    expect(await panel.getByText("No-show? (proposed)").count()).toBe(1);
    expect(await panel.getByRole("button", { name: "Confirm no-show" }).count()).toBe(1);
    await panel.getByRole("button", { name: "Dismiss" }).click();
    await panel.getByText("You dismissed it").waitFor();
    expect(await panel.getByRole("button", { name: "Confirm no-show" }).count()).toBe(0);
    await context.close();
  });
});
