import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import { connections, dana, eventType, health, stubApi } from "./fake-api";

const at = (path: string) => window.history.replaceState(null, "", path);

describe("sign-in page", () => {
  it("links to the Calendly OAuth start (a full navigation, not an SPA route)", async () => {
    stubApi({ "/api/health": health(false) });
    at("/signin");
    render(<App />);
    const link = screen.getByRole("link", { name: "Sign in with Calendly" });
    expect(link.getAttribute("href")).toBe("/oauth/calendly/start");
  });

  it.each([
    ["access_denied", /declined access in Calendly/],
    ["state_mismatch", /expired or was opened in another browser/],
    ["something_else", /did not complete/],
  ])("explains ?error=%s", async (code, message) => {
    stubApi({ "/api/health": health(false) });
    at(`/signin?error=${code}`);
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toMatch(message);
  });
});

describe("signed-in app", () => {
  it("sends a visitor without a session to the sign-in page", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": {
        status: 401,
        body: { error: { code: "unauthenticated", message: "Please sign in to continue." } },
      },
    });
    at("/");
    render(<App />);
    await screen.findByRole("link", { name: "Sign in with Calendly" });
    expect(window.location.pathname).toBe("/signin");
  });

  it("shows loading, then the coach's event types with badges", async () => {
    stubApi({
      "/api/health": health(true),
      "/api/me": { body: dana },
      "/api/event-types": {
        body: {
          items: [
            eventType("Intro"),
            eventType("Hidden", { secret: true }),
            eventType("Old", { active: false }),
          ],
          syncedAt: null,
        },
      },
    });
    at("/");
    render(<App />);
    expect(screen.getByRole("status").textContent).toMatch(/Loading/);
    await screen.findByRole("heading", { name: "Intro" });
    expect(screen.getByText("secret")).toBeTruthy();
    expect(screen.getByText("inactive")).toBeTruthy();
    expect(screen.getByText("Dana Reyes")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Sessions" })).toBeTruthy();
    expect(screen.getByRole("note").textContent).toMatch(/Sandbox mode/);
  });

  it("says on every page that a public demo has no real Calendly", async () => {
    stubApi({
      "/api/health": health(true, true),
      "/api/me": { body: dana },
      "/api/event-types": { body: { items: [], syncedAt: null } },
    });
    at("/");
    render(<App />);
    await waitFor(() =>
      expect(screen.getByRole("note").textContent).toMatch(
        /Public demo: there is no real Calendly/,
      ),
    );
  });

  it("shows the empty state when Calendly has no event types", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": { body: { items: [], syncedAt: null } },
    });
    at("/");
    render(<App />);
    await screen.findByText(/No event types yet/);
    expect(screen.queryByRole("note")).toBeNull();
  });

  it("shows an error with a working retry", async () => {
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": [
        {
          status: 503,
          body: {
            error: {
              code: "upstream_unavailable",
              message: "Calendly is not responding right now.",
            },
          },
        },
        { body: { items: [eventType("Intro")], syncedAt: null } },
      ],
    });
    at("/");
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toMatch(/Calendly is not responding/);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByRole("heading", { name: "Intro" });
    expect(api.calls.filter((c) => c.startsWith("/api/event-types"))).toHaveLength(2);
  });

  it("copies a booking link and confirms it", async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": { body: { items: [eventType("Intro")], syncedAt: null } },
    });
    at("/");
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Copy booking link for Intro" }));
    await waitFor(() => expect(screen.getByText("Copied")).toBeTruthy());
    expect(writeText).toHaveBeenCalledWith("https://calendly.test/dana/intro");
  });

  it("shows connection status in plain words on Settings", async () => {
    const broken = { status: "needs_reconnect", lastError: "Please reconnect." };
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: { ...dana, connections: [{ ...dana.connections[0], ...broken }] } },
      "/api/connections": connections(broken),
    });
    at("/settings");
    render(<App />);
    await screen.findByText(/Needs reconnecting/);
    expect(screen.getAllByText(/Please reconnect\./).length).toBeGreaterThan(0);
    expect(screen.getByRole("link", { name: "Reconnect" }).getAttribute("href")).toBe(
      "/oauth/calendly/start",
    );
  });

  it("says when Kairos will call a paused Calendly again, and re-checks until it recovers", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const retryAt = "2026-12-02T14:05:00Z";
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/connections": [
        connections({
          status: "degraded",
          breaker: "open",
          retryAt,
          lastError: "Calendly answered 500",
          lastErrorAt: "2026-12-02T14:04:00Z",
        }),
        connections({ status: "connected", lastError: "Calendly answered 500" }),
      ],
    });
    at("/settings");
    render(<App />);
    const time = new Date(retryAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    await screen.findByText(`Calendly is not responding; we will retry at ${time}.`);
    expect(screen.getByText(/slow or limiting requests/)).toBeTruthy();
    await vi.advanceTimersByTimeAsync(30_000);
    await screen.findByText("Calls are flowing normally.");
    expect(screen.getByText(/Last problem \(recovered\)/)).toBeTruthy();
    expect(api.calls.filter((c) => c === "/api/connections")).toHaveLength(2);
    vi.useRealTimers();
  });
});

describe("revisiting a page", () => {
  it("shows the last answer at once and revalidates it", async () => {
    let calls = 0;
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": () => {
        calls++;
        return {
          body: { items: [eventType(calls === 1 ? "First read" : "Second read")], syncedAt: null },
        };
      },
      "/api/availability/insights": { body: { items: [] } },
    });
    at("/");
    const first = render(<App />);
    await screen.findByText("First read");
    first.unmount();
    render(<App />);
    // The cached answer is there immediately, without a loading state…
    expect(screen.queryByText("Loading event types…")).toBeNull();
    expect(screen.getByText("First read")).toBeTruthy();
    // …and the fresh one replaces it.
    await screen.findByText("Second read");
  });
});

describe("sessions filters", () => {
  it("reads a chosen day in the coach's time zone, not the browser's", async () => {
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": { body: { items: [], syncedAt: null } },
      "/api/sessions": { body: { items: [], nextCursor: null } },
    });
    at("/sessions");
    render(<App />);
    fireEvent.input(await screen.findByLabelText("Day"), { target: { value: "2026-12-10" } });
    await waitFor(() =>
      expect(
        api.calls
          .map(decodeURIComponent)
          .some(
            (c) =>
              c.startsWith("/api/sessions?") &&
              c.includes("from=2026-12-10T05:00:00.000Z") &&
              c.includes("to=2026-12-11T05:00:00.000Z"),
          ),
        api.calls.map(decodeURIComponent).join("\n"),
      ).toBe(true),
    );
  });
});
