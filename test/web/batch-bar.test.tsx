import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, type Mock, vi } from "vitest";
import { BatchBar } from "../../web/src/components/batch-bar";
import { stubApi } from "./fake-api";

const item = (sessionId: string, startTime: string, status: string, message: string | null) => ({
  sessionId,
  status,
  message,
  name: "Coaching Session",
  startTime,
});

const batch = (finished: boolean, items: ReturnType<typeof item>[]) => ({
  body: {
    id: "bat_1",
    action: "export",
    total: 2,
    succeeded: items.filter((i) => i.status === "done").length,
    failed: 0,
    finished,
    items,
  },
});

/** The JSON bodies POSTed through the stubbed fetch. */
const posted = () =>
  (fetch as unknown as Mock).mock.calls
    .filter(([, init]) => (init as RequestInit | undefined)?.method === "POST")
    .map(([, init]) => JSON.parse(String((init as RequestInit).body)));

describe("batch bar: export selected", () => {
  it("exports any selection without asking, shows progress, then offers the two downloads", async () => {
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    stubApi({
      "/api/batches": { status: 202, body: { id: "bat_1", total: 2 } },
      "/api/batches/bat_1": [
        batch(false, [
          item("ses_1", "2026-12-10T20:00:00.000Z", "done", "Up to date with Calendly"),
          item("ses_2", "2026-12-11T14:30:00.000Z", "pending", null),
        ]),
        batch(true, [
          item("ses_1", "2026-12-10T20:00:00.000Z", "done", "Up to date with Calendly"),
          item(
            "ses_2",
            "2026-12-11T14:30:00.000Z",
            "done",
            "Calendly unreachable; exported Kairos's last copy",
          ),
        ]),
      ],
    });
    const onDone = vi.fn();
    render(
      <BatchBar
        sessionIds={["ses_1", "ses_2"]}
        past={false}
        onDone={onDone}
        timeZone="America/New_York"
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Export selected" }));

    await screen.findByText("Working: 1 of 2");
    expect(confirm).not.toHaveBeenCalled();
    expect(posted()).toEqual([{ action: "export", sessionIds: ["ses_1", "ses_2"] }]);
    // 20:00 UTC is 15:00 in New York (the coach's zone), whatever the browser's.
    expect(
      screen.getByText("Coaching Session · Thu 10 Dec, 15:00 — done (Up to date with Calendly)"),
    ).toBeTruthy();
    expect(screen.getByText("Coaching Session · Fri 11 Dec, 09:30 — …")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Download CSV" })).toBeNull();

    await screen.findByText("Done: 2 of 2", undefined, { timeout: 3_000 });
    expect(
      screen.getByText(
        "Coaching Session · Fri 11 Dec, 09:30 — done (Calendly unreachable; exported Kairos's last copy)",
      ),
    ).toBeTruthy();
    const csv = screen.getByRole("link", { name: "Download CSV" });
    const ics = screen.getByRole("link", { name: "Download .ics" });
    expect(csv.getAttribute("href")).toBe("/api/batches/bat_1/sessions.csv");
    expect(ics.getAttribute("href")).toBe("/api/batches/bat_1/sessions.ics");
    expect(csv.hasAttribute("download")).toBe(true);
    expect(ics.hasAttribute("download")).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(onDone).toHaveBeenCalledOnce();
  });

  it("offers the export on past selections too, and shows why a start failed", async () => {
    stubApi({
      "/api/batches": {
        status: 404,
        body: { error: { code: "not_found", message: "Some of these sessions do not exist." } },
      },
    });
    render(<BatchBar sessionIds={["ses_gone"]} past={true} timeZone="UTC" onDone={() => {}} />);
    expect(screen.getByRole("button", { name: "Mark as no-show" })).toBeTruthy();
    const button = screen.getByRole("button", { name: "Export selected" }) as HTMLButtonElement;
    fireEvent.click(button);
    expect(button.disabled).toBe(true);
    expect((await screen.findByRole("alert")).textContent).toMatch(
      /Some of these sessions do not exist/,
    );
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(screen.queryByRole("link", { name: "Download CSV" })).toBeNull();
  });

  it("offers no downloads for a cancel batch", async () => {
    vi.stubGlobal(
      "confirm",
      vi.fn(() => true),
    );
    stubApi({
      "/api/batches": { status: 202, body: { id: "bat_1", total: 1 } },
      "/api/batches/bat_1": {
        body: {
          ...batch(true, [item("ses_1", "2026-12-10T20:00:00.000Z", "done", null)]).body,
          action: "cancel",
          total: 1,
        },
      },
    });
    render(<BatchBar sessionIds={["ses_1"]} past={false} onDone={() => {}} timeZone="UTC" />);
    fireEvent.input(screen.getByLabelText(/Reason for canceling/), {
      target: { value: "Ill" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Cancel selected" }));
    await screen.findByText("Done: 1 of 1");
    expect(screen.getByText("Coaching Session · Thu 10 Dec, 20:00 — done")).toBeTruthy();
    expect(posted()).toEqual([{ action: "cancel", sessionIds: ["ses_1"], reason: "Ill" }]);
    expect(screen.queryByRole("link", { name: "Download CSV" })).toBeNull();
  });
});
