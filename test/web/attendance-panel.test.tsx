/**
 * The attendance panel: minutes per person and each verdict in plain words, Confirm / Dismiss only
 * for a proposed no-show, a host no-show, unknown guests, and "waited, never admitted".
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { type Attendance, AttendancePanel } from "../../web/src/components/attendance-panel";

const base: Attendance = {
  final: true,
  zoomMeeting: true,
  evaluatedAt: "2026-12-10T17:00:00.000Z",
  host: {
    present: true,
    late: false,
    noShow: false,
    firstJoinAt: "2026-12-10T14:58:00.000Z",
    minutes: 62,
  },
  invitees: [],
  guests: [],
};
const sam = {
  inviteeId: "inv_sam",
  email: "sam@example.net",
  matchedBy: "email" as const,
  waited: false,
  firstJoinAt: null,
  minutes: 0,
  review: null,
};

function show(a: Attendance) {
  const onDecide = vi.fn(async () => {});
  render(
    <AttendancePanel
      attendance={a}
      names={{ inv_sam: "Sam Rivera" }}
      timeZone="UTC"
      onDecide={onDecide}
    />,
  );
  return onDecide;
}

describe("AttendancePanel", () => {
  it("shows minutes and the verdict; no buttons for an attended client", () => {
    show({
      ...base,
      invitees: [
        { ...sam, verdict: "attended", firstJoinAt: "2026-12-10T15:01:00.000Z", minutes: 57 },
      ],
    });
    expect(screen.getByText("Attended")).toBeTruthy();
    expect(screen.getByText(/57 min in the meeting/)).toBeTruthy();
    expect(screen.getByText(/62 min/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Confirm no-show" })).toBeNull();
  });

  it("a proposed no-show has Confirm and Dismiss, each calling back once", async () => {
    const onDecide = show({ ...base, invitees: [{ ...sam, verdict: "no_show_proposed" }] });
    expect(screen.getByText("No-show? (proposed)")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Confirm no-show" }));
    await waitFor(() => expect(onDecide).toHaveBeenCalledWith("inv_sam", "confirm"));
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(onDecide).toHaveBeenCalledWith("inv_sam", "dismiss"));
  });

  it("says when a client waited and was never admitted, and shows a host no-show", () => {
    show({
      ...base,
      host: { present: false, late: false, noShow: true, firstJoinAt: null, minutes: 0 },
      invitees: [
        { ...sam, verdict: "attended", waited: true, firstJoinAt: "2026-12-10T15:01:00.000Z" },
      ],
    });
    expect(screen.getByText(/Waited from .*; never admitted/)).toBeTruthy();
    expect(screen.getByText("Host no-show")).toBeTruthy();
  });

  it("lists unknown guests and marks provisional verdicts", () => {
    show({
      ...base,
      final: false,
      invitees: [{ ...sam, verdict: "unknown" }],
      guests: [{ name: "S. R.", email: "", firstJoinAt: "2026-12-10T15:01:00.000Z", minutes: 12 }],
    });
    expect(screen.getByText(/verdicts are provisional/)).toBeTruthy();
    expect(screen.getByText("Unknown guest")).toBeTruthy();
    expect(screen.getByText(/12 min/)).toBeTruthy();
  });
});
