/**
 * The event type's video meeting setting on the Event types page: Zoom is offered once Zoom is
 * connected, the room settings follow the rules (join before host only without a waiting room),
 * and Save PUTs exactly what the coach chose.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { dana, eventType, health, stubApi } from "./fake-api";

const none = {
  eventTypeId: "evt_Coaching",
  provider: "none",
  waitingRoom: true,
  joinBeforeHost: false,
  passcode: true,
};
const zoomConnection = { ...dana.connections[0], provider: "zoom" };

const puts = () =>
  (fetch as unknown as { mock: { calls: [RequestInfo | URL, RequestInit?][] } }).mock.calls
    .filter(([, init]) => init?.method === "PUT")
    .map(([input, init]) => ({ url: String(input), body: JSON.parse(String(init?.body)) }));

describe("event type conferencing", () => {
  it("saves Zoom with the coach's room settings and passcode", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: { ...dana, connections: [...dana.connections, zoomConnection] } },
      "/api/event-types": {
        body: { items: [eventType("Coaching", { conferencing: none })], syncedAt: null },
      },
      "/api/event-types/evt_Coaching/conferencing": {
        body: {
          ...none,
          provider: "zoom",
          waitingRoom: false,
          joinBeforeHost: true,
          passcode: "club42",
        },
      },
    });
    window.history.replaceState(null, "", "/");
    render(<App />);
    const provider = await screen.findByLabelText("Video meeting");
    fireEvent.change(provider, { target: { value: "zoom" } });
    const jbh = screen.getByLabelText("Client may join before you") as HTMLInputElement;
    expect(jbh.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("Waiting room"));
    expect(jbh.disabled).toBe(false);
    fireEvent.click(jbh);
    fireEvent.change(screen.getByLabelText("Passcode", { selector: "select" }), {
      target: { value: "fixed" },
    });
    fireEvent.input(screen.getByLabelText("Passcode", { selector: "input" }), {
      target: { value: "club42" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/applies to new bookings/);
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]).toEqual({
      url: expect.stringContaining("/api/event-types/evt_Coaching/conferencing"),
      body: { provider: "zoom", waitingRoom: false, joinBeforeHost: true, passcode: "club42" },
    });
  });

  it("offers Zoom only once Zoom is connected", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": {
        body: { items: [eventType("Coaching", { conferencing: none })], syncedAt: null },
      },
    });
    window.history.replaceState(null, "", "/");
    render(<App />);
    await screen.findByLabelText("Video meeting");
    const option = screen.getByRole("option", { name: /Zoom/ }) as HTMLOptionElement;
    expect(option.disabled).toBe(true);
    expect(option.textContent).toMatch(/connect Zoom first/);
  });
});
