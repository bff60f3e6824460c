/**
 * "Refresh from Calendly" is a POST to /api/event-types/refresh: the page's GET never asks for a
 * sync (no GET changes state, so no link elsewhere can force one).
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { dana, eventType, health, stubApi } from "./fake-api";

const requests = () =>
  (fetch as unknown as { mock: { calls: [RequestInfo | URL, RequestInit?][] } }).mock.calls.map(
    ([input, init]) => {
      const url = new URL(String(input instanceof Request ? input.url : input), "http://app.test");
      const method = init?.method ?? (input instanceof Request ? input.method : "GET");
      return `${method.toUpperCase()} ${url.pathname}${url.search}`;
    },
  );

describe("event types refresh", () => {
  it("POSTs to /api/event-types/refresh and shows what Calendly now has", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": { body: { items: [eventType("Intro")], syncedAt: null } },
      "/api/event-types/refresh": {
        body: { items: [eventType("Intro"), eventType("Deep Dive")], syncedAt: null },
      },
    });
    window.history.replaceState(null, "", "/");
    render(<App />);
    await screen.findByRole("heading", { name: "Intro" });
    fireEvent.click(screen.getByRole("button", { name: "Refresh from Calendly" }));
    await screen.findByRole("heading", { name: "Deep Dive" });
    await waitFor(() => expect(requests()).toContain("POST /api/event-types/refresh"));
    const eventTypeCalls = requests().filter((r) => r.includes("/api/event-types"));
    expect(eventTypeCalls.filter((r) => r.startsWith("GET"))).toEqual(["GET /api/event-types"]);
    expect(eventTypeCalls.some((r) => r.includes("refresh=true"))).toBe(false);
  });
});
