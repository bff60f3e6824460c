import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { dana, health, stubApi } from "./fake-api";

const at = (path: string) => window.history.replaceState(null, "", path);

const client = (name: string, email: string, extra: object = {}) => ({
  email,
  name,
  sessionsSoFar: 3,
  nextSession: "2030-01-07T15:00:00.000Z",
  lastSession: "2029-12-20T14:00:00.000Z",
  noShows: 0,
  firstBooked: "2029-10-01T13:00:00.000Z",
  totalSessions: 5,
  ...extra,
});

const session = (id: string, startTime: string, extra: object = {}) => ({
  id,
  calendlyUri: `https://api.calendly.test/scheduled_events/${id}`,
  eventTypeUri: null,
  name: "Coaching Session",
  startTime,
  endTime: startTime,
  status: "active",
  location: null,
  invitees: [
    {
      id: `inv_${id}`,
      calendlyUri: `https://api.calendly.test/invitees/${id}`,
      email: "sam.rivera@client.test",
      name: "Sam Rivera",
      status: "active",
      noShow: false,
      rescheduled: false,
      bookedWithWidget: false,
    },
  ],
  ...extra,
});

const signedIn = { "/api/health": health(false), "/api/me": { body: dana } };

describe("clients page", () => {
  it("shows one card per client, linked to the client, with dates in the coach's zone", async () => {
    stubApi({
      ...signedIn,
      "/api/clients": {
        body: {
          items: [
            client("Alex Kim", "alex.kim@client.test", { nextSession: null, noShows: 2 }),
            client("Sam Rivera", "Sam+Work@client.test"),
          ],
          nextCursor: null,
        },
      },
    });
    at("/clients");
    render(<App />);
    const sam = await screen.findByRole("link", { name: "Sam Rivera" });
    expect(sam.getAttribute("href")).toBe("/clients/Sam%2BWork%40client.test");
    expect(screen.getByRole("link", { name: "Alex Kim" })).toBeTruthy();
    expect(screen.getByText("2 no-shows")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Clients" }).getAttribute("aria-current")).toBe("page");
    const card = sam.closest("li");
    // 15:00 UTC is 10:00 in New York (Dana's zone).
    expect(card?.textContent).toMatch(/10:00/);
    expect(card?.textContent).toMatch(/Sessions so far\s*3/);
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("searches after a pause and follows the cursor with Show more", async () => {
    const api = stubApi({
      ...signedIn,
      "/api/clients": [
        { body: { items: [client("Alex Kim", "alex@client.test")], nextCursor: "c1" } },
        { body: { items: [client("Sam Rivera", "sam@client.test")], nextCursor: null } },
        { body: { items: [client("Sam Rivera", "sam@client.test")], nextCursor: null } },
      ],
    });
    at("/clients");
    render(<App />);
    await screen.findByRole("link", { name: "Alex Kim" });
    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await screen.findByRole("link", { name: "Sam Rivera" });
    expect(screen.getByRole("link", { name: "Alex Kim" })).toBeTruthy();
    expect(api.calls).toContain("/api/clients?limit=50&cursor=c1");

    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "sam" } });
    await waitFor(() => expect(api.calls).toContain("/api/clients?limit=50&q=sam"), {
      timeout: 2000,
    });
    await waitFor(() => expect(screen.queryByRole("link", { name: "Alex Kim" })).toBeNull());
  });

  it("shows the empty state", async () => {
    stubApi({ ...signedIn, "/api/clients": { body: { items: [], nextCursor: null } } });
    at("/clients");
    render(<App />);
    await screen.findByText(/No clients yet/);
  });

  it("shows an error with a working retry", async () => {
    const api = stubApi({
      ...signedIn,
      "/api/clients": [
        { status: 500, body: { error: { code: "internal", message: "Something went wrong." } } },
        { body: { items: [client("Sam Rivera", "sam@client.test")], nextCursor: null } },
      ],
    });
    at("/clients");
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toMatch(/Something went wrong/);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByRole("link", { name: "Sam Rivera" });
    expect(api.calls.filter((c) => c.startsWith("/api/clients"))).toHaveLength(2);
  });
});

describe("client page", () => {
  it("shows the summary and the history, linking to each session", async () => {
    const api = stubApi({
      ...signedIn,
      "/api/clients/sam.rivera%40client.test": {
        body: {
          ...client("Sam Rivera", "sam.rivera@client.test", { totalSessions: 2 }),
          sessions: [
            session("ses_new", "2030-01-07T15:00:00.000Z"),
            session("ses_old", "2029-12-20T14:00:00.000Z", { status: "canceled" }),
          ],
        },
      },
    });
    at("/clients/sam.rivera%40client.test");
    render(<App />);
    await screen.findByRole("heading", { name: "Sam Rivera" });
    const links = screen
      .getAllByRole("link")
      .map((a) => a.getAttribute("href"))
      .filter((h) => h?.startsWith("/sessions/"));
    expect(links).toEqual(["/sessions/ses_new", "/sessions/ses_old"]);
    expect(screen.getByText("Canceled")).toBeTruthy();
    expect(api.calls).toContain("/api/clients/sam.rivera%40client.test");
  });

  it("says so when the client does not exist", async () => {
    stubApi({
      ...signedIn,
      "/api/clients/nobody%40client.test": {
        status: 404,
        body: { error: { code: "not_found", message: "Client not found." } },
      },
    });
    at("/clients/nobody%40client.test");
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toMatch(/Client not found/);
  });
});
