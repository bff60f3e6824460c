/**
 * The session's Zoom meeting in the dashboard: status in plain words with the retry time, Join only
 * from 15 minutes before the start to the end, copy link, Retry, and Recreate only after a
 * confirmation; the session page wires them to the API.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import {
  joinOpen,
  type SessionZoom,
  ZoomMeetingPanel,
  zoomStatusText,
} from "../../web/src/components/zoom-meeting";
import { dana, health, stubApi } from "./fake-api";

const start = "2026-12-20T15:00:00.000Z";
const end = "2026-12-20T16:00:00.000Z";
const ready: SessionZoom = {
  meetingId: "81234567890",
  joinUrl: "https://zoom.us/j/81234567890?pwd=abc",
  passcode: "Xy7pQ2aa",
  status: "ready",
};
const failed: SessionZoom = {
  meetingId: null,
  joinUrl: null,
  passcode: null,
  status: "failed",
  error: "Zoom is not responding right now.",
  retryAt: "2026-12-20T14:05:00.000Z",
};

const panel = (zoom: SessionZoom, extra: Partial<Parameters<typeof ZoomMeetingPanel>[0]> = {}) => {
  const onRetry = vi.fn(async () => {});
  const onRecreate = vi.fn(async () => {});
  render(
    <ZoomMeetingPanel
      zoom={zoom}
      startTime={start}
      endTime={end}
      upcoming
      timeZone="UTC"
      onRetry={onRetry}
      onRecreate={onRecreate}
      now={Date.parse("2026-12-20T14:50:00.000Z")}
      {...extra}
    />,
  );
  return { onRetry, onRecreate };
};

describe("the Zoom meeting panel", () => {
  it("opens Join 15 minutes before the start and closes it at the end", () => {
    expect(joinOpen(start, end, Date.parse("2026-12-20T14:44:59.000Z"))).toBe(false);
    expect(joinOpen(start, end, Date.parse("2026-12-20T14:45:00.000Z"))).toBe(true);
    expect(joinOpen(start, end, Date.parse("2026-12-20T16:00:00.000Z"))).toBe(true);
    expect(joinOpen(start, end, Date.parse("2026-12-20T16:00:01.000Z"))).toBe(false);
  });

  it("says when Kairos retries, in the coach's clock", () => {
    expect(zoomStatusText(failed, "UTC")).toBe("Zoom meeting not created yet — retrying at 14:05");
    expect(zoomStatusText(failed, "America/New_York")).toBe(
      "Zoom meeting not created yet — retrying at 09:05",
    );
    const stopped = { ...failed, retryAt: undefined, error: "Zoom needs to be reconnected." };
    expect(zoomStatusText(stopped, "UTC")).toBe(
      "Zoom meeting not created yet — Zoom needs to be reconnected.",
    );
  });

  it("shows Join, the link to copy and the passcode for a ready meeting", () => {
    panel(ready);
    expect(screen.getByRole("link", { name: "Join" }).getAttribute("href")).toBe(ready.joinUrl);
    expect(screen.getByRole("button", { name: "Copy the Zoom link" })).toBeTruthy();
    expect(screen.getByText("Passcode: Xy7pQ2aa")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("hides Join outside the window, and never links an unsafe URL", () => {
    panel(ready, { now: Date.parse("2026-12-20T12:00:00.000Z") });
    expect(screen.queryByRole("link", { name: "Join" })).toBeNull();
    expect(screen.getByRole("button", { name: "Copy the Zoom link" })).toBeTruthy();
    screen.getByRole("status");
  });

  it("drops a javascript: link", () => {
    panel({ ...ready, joinUrl: "javascript:alert(1)" });
    expect(screen.queryByRole("link", { name: "Join" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Copy the Zoom link" })).toBeNull();
  });

  it("retries on Retry, and recreates only once the coach confirms", async () => {
    const { onRetry, onRecreate } = panel(failed);
    expect(screen.getByRole("status").textContent).toBe(
      "Zoom meeting not created yet — retrying at 14:05",
    );
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(onRetry).toHaveBeenCalledTimes(1));

    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    fireEvent.click(screen.getByRole("button", { name: "Recreate meeting" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/old meeting is deleted/));
    expect(onRecreate).not.toHaveBeenCalled();
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByRole("button", { name: "Recreate meeting" }));
    await waitFor(() => expect(onRecreate).toHaveBeenCalledTimes(1));
  });
});

describe("the session page", () => {
  const session = (zoom: SessionZoom | null) => ({
    id: "s1",
    calendlyUri: "https://api.calendly.test/scheduled_events/s1",
    eventTypeUri: null,
    name: "Coaching Session",
    startTime: "2099-12-20T15:00:00.000Z",
    endTime: "2099-12-20T16:00:00.000Z",
    bookedAt: "2026-11-30T14:00:00.000Z",
    status: "active",
    location: null,
    invitees: [],
    zoom,
  });

  it("shows the Zoom status and retries through the API", async () => {
    const api = stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/sessions/s1": [{ body: session(failed) }, { body: session(ready) }],
      "/api/sessions/s1/history": { body: { entries: [], answers: [] } },
      "/api/sessions/s1/zoom/retry": { body: { zoom: ready } },
    });
    window.history.replaceState(null, "", "/sessions/s1");
    render(<App />);
    await screen.findByText(/Zoom meeting not created yet — retrying at/);
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    await screen.findByText("Zoom meeting ready");
    expect(api.calls).toContain("/api/sessions/s1/zoom/retry");
  });
});

describe("the sessions list", () => {
  it("marks sessions with a Zoom meeting, and says when one is waiting", async () => {
    const item = (id: string, name: string, zoom: SessionZoom | null) => ({
      id,
      calendlyUri: `https://api.calendly.test/scheduled_events/${id}`,
      eventTypeUri: null,
      name: "Coaching Session",
      startTime: "2099-12-20T15:00:00.000Z",
      endTime: "2099-12-20T16:00:00.000Z",
      bookedAt: "2026-11-30T14:00:00.000Z",
      status: "active",
      location: null,
      invitees: [
        {
          id: `inv_${id}`,
          calendlyUri: `u-${id}`,
          email: `${id}@x.test`,
          name,
          status: "active",
          noShow: false,
          rescheduled: false,
          bookedWithWidget: false,
          tracking: {},
          payment: null,
        },
      ],
      zoom,
    });
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/event-types": { body: { items: [], syncedAt: null } },
      "/api/sessions": {
        body: {
          items: [item("s1", "Alex", ready), item("s2", "Sam", failed), item("s3", "Kim", null)],
          nextCursor: null,
        },
      },
    });
    window.history.replaceState(null, "", "/sessions");
    render(<App />);
    await screen.findByRole("link", { name: "Alex" });
    expect(screen.getByText("Zoom").getAttribute("title")).toBe("Zoom meeting ready");
    expect(screen.getByText("Zoom: failed").getAttribute("title")).toMatch(
      /^Zoom meeting not created yet — retrying at \d\d:\d\d$/,
    );
    expect(screen.getAllByText(/^Zoom/)).toHaveLength(2);
  });
});
