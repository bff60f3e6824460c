import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import { dana, health, stubApi } from "./fake-api";

const zoom = (patch: object = {}) => ({
  ...dana.connections[0],
  provider: "zoom",
  scopes: [],
  webhooks: null,
  plan: "licensed",
  ...patch,
});
const settingsRoutes = (zoomPatch: object, extra: object = {}) => ({
  "/api/health": health(false),
  "/api/me": { body: dana },
  "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
  "/api/activity": { body: { items: [] } },
  "/api/connections": { body: { items: [dana.connections[0], zoom(zoomPatch)] } },
  ...extra,
});
async function zoomCard() {
  const heading = await screen.findByRole("heading", { name: "Zoom" });
  return heading.closest("li") as HTMLElement;
}

describe("Settings → Connections: Zoom", () => {
  it("offers Connect Zoom when Zoom is not connected", async () => {
    stubApi(settingsRoutes({ status: "disconnected", plan: null }));
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    const card = await zoomCard();
    expect(within(card).getByText("Disconnected")).toBeTruthy();
    const link = within(card).getByRole("link", { name: "Connect Zoom" });
    expect(link.getAttribute("href")).toBe("/oauth/zoom/start");
    expect(within(card).queryByRole("button", { name: "Disconnect" })).toBeNull();
  });

  it("disconnects Zoom only after confirmation", async () => {
    const api = stubApi(
      settingsRoutes({}, { "/api/connections/zoom/disconnect": { body: { ok: true } } }),
    );
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    const card = await zoomCard();
    expect(within(card).getByRole("link", { name: "Reconnect" }).getAttribute("href")).toBe(
      "/oauth/zoom/start",
    );
    fireEvent.click(within(card).getByRole("button", { name: "Disconnect" }));
    expect(String((confirm.mock.calls[0] as unknown[] | undefined)?.[0])).toMatch(
      /Disconnect Zoom\?.*Meetings already made and attendance stay in Kairos/,
    );
    expect(api.calls).not.toContain("/api/connections/zoom/disconnect");

    confirm.mockReturnValue(true);
    const reload = vi.fn();
    vi.stubGlobal("location", { ...window.location, reload });
    fireEvent.click(within(card).getByRole("button", { name: "Disconnect" }));
    await waitFor(() => expect(api.calls).toContain("/api/connections/zoom/disconnect"));
    const call = vi
      .mocked(fetch)
      .mock.calls.find(([input]) => String(input).includes("/api/connections/zoom/disconnect"));
    expect((call?.[1] as RequestInit | undefined)?.method).toBe("POST");
  });

  it("shows the error when the disconnect fails", async () => {
    stubApi(
      settingsRoutes(
        {},
        {
          "/api/connections/zoom/disconnect": {
            status: 503,
            body: { error: { code: "unavailable", message: "Zoom is not responding right now." } },
          },
        },
      ),
    );
    vi.stubGlobal(
      "confirm",
      vi.fn(() => true),
    );
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    fireEvent.click(within(await zoomCard()).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByText(/Zoom is not responding right now/)).toBeTruthy();
  });

  it("says what came of a Zoom connect, and that a Basic plan has no participant reports", async () => {
    stubApi(settingsRoutes({ plan: "basic" }));
    window.history.replaceState(null, "", "/settings?zoom=access_denied");
    render(<App />);
    expect(await screen.findByText(/access was declined in Zoom/)).toBeTruthy();
    const card = await zoomCard();
    expect(within(card).getByText(/Zoom plan is Basic/)).toBeTruthy();
  });
});

describe("Reconnect banner: Zoom", () => {
  const withZoom = (patch: object) => ({
    ...dana,
    connections: [dana.connections[0], zoom(patch)],
  });
  const render_ = (coach: object) => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: coach },
      "/api/sessions": { body: { items: [], nextCursor: null } },
    });
    window.history.replaceState(null, "", "/sessions");
    render(<App />);
  };

  it("shows on every page while Zoom needs reconnecting, with its reason", async () => {
    render_(
      withZoom({
        status: "needs_reconnect",
        lastError: "Zoom no longer accepts Kairos's access. Please reconnect.",
      }),
    );
    const link = await screen.findByRole("link", { name: "Reconnect Zoom" });
    expect(link.getAttribute("href")).toBe("/oauth/zoom/start");
    expect(screen.getByRole("alert").textContent).toMatch(/meetings and attendance are kept/);
    expect(screen.queryByRole("link", { name: "Reconnect Calendly" })).toBeNull();
  });

  it("shows when Zoom ended the connection (app removed), not when the coach disconnected", async () => {
    render_(
      withZoom({
        status: "disconnected",
        lastError: "Kairos was removed from your Zoom account. Connect Zoom again to use it.",
      }),
    );
    expect(await screen.findByRole("link", { name: "Reconnect Zoom" })).toBeTruthy();
  });

  it("stays away for a Zoom the coach disconnected or never connected", async () => {
    render_(withZoom({ status: "disconnected", lastError: null }));
    await screen.findByText(/No upcoming sessions/);
    expect(screen.queryByRole("link", { name: "Reconnect Zoom" })).toBeNull();
  });
});
