/**
 * Links from outside data (Calendly, Zoom) are rendered as hrefs only when they are https (http
 * for local hosts): a `javascript:` join or scheduling URL renders no link at all.
 */
import { render, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { safeHref } from "../../web/src/safe-href";
import { dana, eventType, health, stubApi } from "./fake-api";

const EVIL = "javascript:alert(document.cookie)";
const at = (path: string) => window.history.replaceState(null, "", path);

const session = (joinUrl: string) => ({
  id: "s1",
  calendlyUri: "https://api.calendly.test/scheduled_events/s1",
  eventTypeUri: null,
  name: "Coaching Session",
  startTime: "2026-12-20T15:00:00.000Z",
  endTime: "2026-12-20T16:00:00.000Z",
  bookedAt: "2026-11-30T14:00:00.000Z",
  status: "active",
  location: { type: "zoom", joinUrl },
  invitees: [],
});

function showSession(joinUrl: string) {
  stubApi({
    "/api/health": health(false),
    "/api/me": { body: dana },
    "/api/event-types": { body: { items: [], syncedAt: null } },
    "/api/sessions/s1": { body: session(joinUrl) },
    "/api/sessions/s1/history": { body: { entries: [], answers: [] } },
  });
  at("/sessions/s1");
  render(<App />);
}

describe("links from outside data", () => {
  it("renders an https join link", async () => {
    showSession("https://zoom.us/j/1");
    expect((await screen.findByRole("link", { name: "Join link" })).getAttribute("href")).toBe(
      "https://zoom.us/j/1",
    );
  });

  it("renders no join link for a javascript: URL", async () => {
    showSession(EVIL);
    await screen.findByRole("heading", { name: "Coaching Session" });
    expect(screen.queryByRole("link", { name: "Join link" })).toBeNull();
    expect(document.querySelector(`a[href^="javascript"]`)).toBeNull();
  });

  it("renders an event type's javascript: scheduling URL without an href", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": {
        body: { items: [{ ...eventType("Intro"), schedulingUrl: EVIL }], syncedAt: null },
      },
    });
    at("/");
    render(<App />);
    await screen.findByRole("button", { name: "Copy booking link for Intro" });
    expect(document.querySelector(`a[href^="javascript"]`)).toBeNull();
  });

  it.each([
    ["https://calendly.com/dana", true],
    ["http://localhost:8787/sandbox/zoom/j/1", true],
    ["http://calendly.com/dana", false],
    [EVIL, false],
    ["data:text/html,x", false],
    ["/sessions", false],
  ])("safeHref(%s) allowed: %s", (url, allowed) => {
    expect(safeHref(url)).toBe(allowed ? url : undefined);
  });
});
