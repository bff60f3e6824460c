import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { MessageHistory } from "../../web/src/components/message-history";
import { stubApi } from "./fake-api";

const message = (id: string, extra: object) => ({
  id,
  kind: "reminder",
  to: "sam@client.test",
  subject: "Reminder: Intro Call",
  status: "sent",
  skipReason: null,
  dueAt: "2030-01-07T14:00:00.000Z",
  sentAt: "2030-01-07T14:02:00.000Z",
  attempts: 1,
  lastError: null,
  sessionId: "ses_1",
  resendOf: null,
  ...extra,
});

describe("MessageHistory", () => {
  it("shows each message's delivery status and why one was not sent, and resends a sent one", async () => {
    const { calls } = stubApi({
      "/api/messages": {
        body: {
          items: [
            message("ntf_1", { kind: "booking_confirmation", subject: "Booked: Intro Call" }),
            message("ntf_2", { status: "skipped", skipReason: "too_late", sentAt: null }),
            message("ntf_3", { status: "revoked", skipReason: "session_moved", sentAt: null }),
          ],
        },
      },
      "/api/messages/ntf_1/resend": { status: 202, body: message("ntf_4", { status: "planned" }) },
    });
    render(<MessageHistory sessionId="ses_1" timeZone="UTC" />);
    expect(await screen.findByText("Booked: Intro Call")).toBeTruthy();
    expect(screen.getByText(/never sent late/)).toBeTruthy();
    expect(screen.getByText(/Withdrawn/)).toBeTruthy();
    // Only the sent message can be resent.
    const buttons = screen.getAllByRole("button", { name: "Resend" });
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0] as HTMLElement);
    await waitFor(() => expect(calls).toContain("/api/messages/ntf_1/resend"));
    expect(calls[0]).toBe("/api/messages?sessionId=ses_1");
  });
});
