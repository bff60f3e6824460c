import { act, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import { dana, health, stubApi } from "./fake-api";

const at = (path: string) => window.history.replaceState(null, "", path);
const signedIn = {
  "/api/health": health(false),
  "/api/me": { body: dana },
  "/api/event-types": { body: { items: [], syncedAt: null } },
};

const invitee = (name: string, extra: object = {}) => ({
  id: `inv_${name}`,
  calendlyUri: `https://api.calendly.test/invitees/${name}`,
  email: `${name.toLowerCase()}@client.test`,
  name,
  status: "active",
  noShow: false,
  rescheduled: false,
  bookedWithWidget: false,
  tracking: {},
  payment: null,
  ...extra,
});
const session = (id: string, name: string, extra: object = {}) => ({
  id,
  calendlyUri: `https://api.calendly.test/scheduled_events/${id}`,
  eventTypeUri: null,
  name: "Coaching Session",
  startTime: "2026-12-20T15:00:00.000Z",
  endTime: "2026-12-20T16:00:00.000Z",
  bookedAt: "2026-11-30T14:00:00.000Z",
  status: "active",
  location: null,
  invitees: [invitee(name)],
  ...extra,
});

describe("sessions list", () => {
  it("sorts by booking date, newest first, and follows the cursor with Show more", async () => {
    const api = stubApi({
      ...signedIn,
      "/api/sessions": [
        { body: { items: [session("s1", "Alex")], nextCursor: "c1" } },
        { body: { items: [session("s2", "Sam")], nextCursor: "c2" } },
        { body: { items: [session("s3", "Kim")], nextCursor: null } },
      ],
    });
    at("/sessions");
    render(<App />);
    await screen.findByRole("link", { name: "Alex" });
    fireEvent.change(screen.getByLabelText("Sort by"), { target: { value: "booked" } });
    await waitFor(() =>
      expect(api.calls.some((c) => c.includes("sort=booked") && c.includes("order=desc"))).toBe(
        true,
      ),
    );
    await screen.findByRole("button", { name: "Newest bookings first ⇅" });
    await screen.findByRole("link", { name: "Sam" });
    expect(screen.getByText(/booked Nov 30, 2026/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await screen.findByRole("link", { name: "Kim" });
    expect(screen.getByRole("link", { name: "Sam" })).toBeTruthy();
    expect(api.calls.at(-1)).toMatch(/cursor=c2/);
    expect(api.calls.at(-1)).toMatch(/sort=booked/);
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("keeps pages loaded with Show more when a change is pushed, until the coach asks for it", async () => {
    const sockets: { onmessage?: () => void }[] = [];
    vi.stubGlobal(
      "WebSocket",
      class {
        onmessage?: () => void;
        constructor() {
          sockets.push(this);
        }
        close() {}
      },
    );
    const api = stubApi({
      ...signedIn,
      "/api/sessions": [
        { body: { items: [session("s1", "Alex")], nextCursor: "c1" } },
        { body: { items: [session("s2", "Sam")], nextCursor: null } },
        { body: { items: [session("s0", "Noa"), session("s1", "Alex")], nextCursor: "c1" } },
      ],
    });
    at("/sessions");
    render(<App />);
    await screen.findByRole("link", { name: "Alex" });
    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await screen.findByRole("link", { name: "Sam" });
    const calls = api.calls.length;
    act(() => sockets.at(-1)?.onmessage?.());
    await screen.findByText(/Sessions have changed since you loaded these/);
    expect(screen.getByRole("link", { name: "Sam" })).toBeTruthy();
    expect(api.calls.filter((c) => c.startsWith("/api/sessions"))).toHaveLength(2);
    expect(api.calls.length).toBe(calls);

    fireEvent.click(screen.getByRole("button", { name: "Show the latest" }));
    await screen.findByRole("link", { name: "Noa" });
    expect(screen.queryByRole("link", { name: "Sam" })).toBeNull();
    expect(screen.queryByText(/Sessions have changed/)).toBeNull();
    vi.unstubAllGlobals();
  });

  it("filters by UTM source after a pause", async () => {
    const api = stubApi({
      ...signedIn,
      "/api/sessions": { body: { items: [], nextCursor: null } },
    });
    at("/sessions");
    render(<App />);
    fireEvent.input(await screen.findByLabelText("UTM source"), {
      target: { value: "newsletter" },
    });
    await waitFor(() =>
      expect(api.calls.some((c) => c.includes("utmSource=newsletter"))).toBe(true),
    );
  });
});

describe("session detail", () => {
  it("shows payment, where the client came from, and their reschedule link", async () => {
    stubApi({
      ...signedIn,
      "/api/sessions/s1": {
        body: session("s1", "Alex", {
          invitees: [
            invitee("Alex", {
              payment: {
                provider: "stripe",
                amount: 150,
                currency: "USD",
                successful: true,
                terms: null,
              },
              tracking: { utm_source: "newsletter", utm_campaign: "spring" },
              rescheduleUrl: "https://calendly.com/reschedulings/alex",
              rescheduledFromSessionId: "s0",
            }),
          ],
        }),
      },
      "/api/sessions/s1/history": {
        body: {
          entries: [],
          answers: [{ inviteeId: "inv_Alex", question: "Focus?", answer: "Delegation" }],
        },
      },
    });
    at("/sessions/s1");
    render(<App />);
    await screen.findByText(/Paid \$150\.00 \(stripe\)\./);
    expect(screen.getByText(/source: newsletter · campaign: spring/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy Alex's reschedule link" })).toBeTruthy();
    expect(
      screen.getByRole("link", { name: "Moved here from an earlier time" }).getAttribute("href"),
    ).toBe("/sessions/s0");
    await screen.findByText("Delegation");
  });

  it("says when a payment failed", async () => {
    stubApi({
      ...signedIn,
      "/api/sessions/s2": {
        body: session("s2", "Sam", {
          invitees: [
            invitee("Sam", {
              payment: {
                provider: null,
                amount: 120,
                currency: "EUR",
                successful: false,
                terms: null,
              },
            }),
          ],
        }),
      },
      "/api/sessions/s2/history": { body: { entries: [], answers: [] } },
    });
    at("/sessions/s2");
    render(<App />);
    await screen.findByText(/Payment of €120\.00 failed\./);
  });

  it("puts each group member's answers under their name, multi-select answers on their own lines", async () => {
    stubApi({
      ...signedIn,
      "/api/sessions/s3": {
        body: session("s3", "Alex", { invitees: [invitee("Alex"), invitee("Sam")] }),
      },
      "/api/sessions/s3/history": {
        body: {
          entries: [],
          answers: [
            { inviteeId: "inv_Sam", question: "Areas?", answer: "Leadership\nWellbeing" },
            { inviteeId: "inv_Alex", question: "Areas?", answer: "Communication" },
          ],
        },
      },
    });
    at("/sessions/s3");
    render(<App />);
    await screen.findByText("Communication");
    const lists = [...document.querySelectorAll("dl.answers")];
    expect(
      lists.map((dl) => `${dl.previousElementSibling?.textContent}: ${dl.textContent}`),
    ).toEqual(["Alex: Areas?Communication", "Sam: Areas?Leadership\nWellbeing"]);
  });
});
