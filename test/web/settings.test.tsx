import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import { connections, dana, health, stubApi } from "./fake-api";

const run = (status: string, extra: object = {}) => ({
  id: `syn_${status}`,
  kind: "manual",
  status,
  windowStart: "2026-11-17T00:00:00Z",
  windowEnd: "2027-02-22T00:00:00Z",
  pages: 1,
  recordsSeen: 42,
  recordsFixed: 3,
  error: null,
  startedAt: "2026-11-24T10:00:00Z",
  finishedAt: null,
  ...extra,
});

describe("Settings: sync and activity", () => {
  it("starts a sync, shows its progress, and then its result", async () => {
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/activity": { body: { items: [] } },
      "/api/sync": { status: 202, body: { runId: "syn_running", started: true } },
      "/api/sync-runs": [
        {
          body: {
            intervalMinutes: 60,
            items: [run("done", { kind: "import", recordsSeen: 100, recordsFixed: 100 })],
          },
        },
        { body: { intervalMinutes: 60, items: [run("running")] } },
        { body: { intervalMinutes: 60, items: [run("done")] } },
      ],
    });
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    await screen.findByText(/100 checked, 100 repaired/);
    fireEvent.click(screen.getByRole("button", { name: "Sync now" }));
    await screen.findByText(/in progress — 42 checked so far/);
    expect(screen.getByRole("button", { name: "Syncing…" })).toHaveProperty("disabled", true);
    await waitFor(() => expect(screen.getByText(/42 checked, 3 repaired/)).toBeTruthy(), {
      timeout: 4000,
    });
    expect(api.calls).toContain("/api/sync");
  });

  it("lists recent webhook activity with its status, or says nothing arrived yet", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
      "/api/activity": {
        body: {
          items: [
            {
              id: "whe_1",
              provider: "calendly",
              event: "invitee.created",
              status: "failed",
              receivedAt: "2026-11-24T10:00:00Z",
              processedAt: null,
            },
          ],
        },
      },
    });
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    await screen.findByText("invitee.created");
    expect(screen.getByText("failed")).toBeTruthy();
    expect(screen.getByText("No syncs yet.")).toBeTruthy();
  });

  it("shows a reconnect banner on every page while the Calendly connection is broken", async () => {
    const broken = {
      ...dana,
      connections: [
        {
          ...dana.connections[0],
          status: "needs_reconnect",
          lastError: "Calendly no longer accepts Kairos's access.",
        },
      ],
    };
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: broken },
      "/api/sessions": { body: { items: [], nextCursor: null } },
    });
    window.history.replaceState(null, "", "/sessions");
    render(<App />);
    const link = await screen.findByRole("link", { name: "Reconnect Calendly" });
    expect(link.getAttribute("href")).toBe("/oauth/calendly/start");
    expect(screen.getByRole("alert").textContent).toMatch(/no longer accepts/);
  });

  it("shows no banner while connected", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/sessions": { body: { items: [], nextCursor: null } },
    });
    window.history.replaceState(null, "", "/sessions");
    render(<App />);
    await screen.findByText(/No upcoming sessions/);
    expect(screen.queryByRole("link", { name: "Reconnect Calendly" })).toBeNull();
  });

  it("asks before disconnecting Calendly, and does nothing when the coach says no", async () => {
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
      "/api/activity": { body: { items: [] } },
      "/api/connections": connections(),
      "/api/connections/calendly/disconnect": { body: { ok: true } },
    });
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Disconnect" }));
    expect(String((confirm.mock.calls[0] as unknown[] | undefined)?.[0])).toMatch(
      /sessions and history stay in Kairos/,
    );
    expect(api.calls).not.toContain("/api/connections/calendly/disconnect");
  });
});

describe("Settings: sign out everywhere", () => {
  const routes = () => ({
    "/api/health": health(false),
    "/api/me": { body: dana },
    "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
    "/api/activity": { body: { items: [] } },
    "/api/connections": connections(),
    "/api/login-sessions/revoke-all": { body: { ok: true, revoked: 3 } },
  });

  it("asks first, and does nothing when the coach says no", async () => {
    const api = stubApi(routes());
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign out everywhere" }));
    expect(String((confirm.mock.calls[0] as unknown[] | undefined)?.[0])).toMatch(
      /Every browser and device.*this one included/,
    );
    expect(api.calls).not.toContain("/api/login-sessions/revoke-all");
  });

  it("revokes every session when confirmed, then shows the sign-in page", async () => {
    const api = stubApi(routes());
    vi.stubGlobal(
      "confirm",
      vi.fn(() => true),
    );
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign out everywhere" }));
    await waitFor(() => expect(window.location.pathname).toBe("/signin"));
    expect(api.calls).toContain("/api/login-sessions/revoke-all");
    const fetchMock = vi.mocked(fetch);
    const call = fetchMock.mock.calls.find(([input]) =>
      String(input).includes("/api/login-sessions/revoke-all"),
    );
    expect((call?.[1] as RequestInit | undefined)?.method).toBe("POST");
  });
});

describe("Settings: booking widget", () => {
  const settings = (embedOrigins: string[]) => ({
    body: {
      embedOrigins,
      bookingPageUrl: "https://kairos.test/book/dana-reyes",
      snippet: '<script async src="https://kairos.test/embed.js" data-coach="dana-reyes"></script>',
    },
  });

  it("saves the allowed origins, one per line, and shows the snippet", async () => {
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/connections": connections(),
      "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
      "/api/activity": { body: { items: [] } },
      "/api/booking-settings": [
        settings([]),
        settings(["https://coach.example", "http://localhost:4000"]),
      ],
    });
    const fetchMock = vi.mocked(fetch);
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    expect(await screen.findByText(/data-coach="dana-reyes"/)).toBeTruthy();
    fireEvent.input(screen.getByLabelText(/Websites allowed to embed it/), {
      target: { value: "https://coach.example/\n http://localhost:4000 " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved.");
    expect(await screen.findByText("Allowed websites saved.")).toBeTruthy(); // the toast
    const put = fetchMock.mock.calls.find(
      ([, init]) => (init as RequestInit | undefined)?.method === "PUT",
    );
    expect(JSON.parse(String((put?.[1] as RequestInit).body))).toEqual({
      embedOrigins: ["https://coach.example", "http://localhost:4000"],
    });
    expect(api.calls.filter((c) => c === "/api/booking-settings").length).toBeGreaterThan(1);
  });

  it("explains an origin the server refused", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/connections": connections(),
      "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
      "/api/activity": { body: { items: [] } },
      "/api/booking-settings": [
        settings([]),
        {
          status: 400,
          body: {
            error: {
              code: "validation_failed",
              message: "Use an origin like https://coach.example (no path, no trailing slash).",
            },
          },
        },
      ],
    });
    window.history.replaceState(null, "", "/settings");
    render(<App />);
    await screen.findByText(/data-coach="dana-reyes"/);
    fireEvent.input(screen.getByLabelText(/Websites allowed to embed it/), {
      target: { value: "ftp://nope" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/Use an origin like/)).toBeTruthy();
  });
});
