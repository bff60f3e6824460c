import { describe, expect, it } from "vitest";
import { dedupeKey, type WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";

const INVITEE = "https://api.calendly.test/scheduled_events/ev/invitees/inv";
// Calendly does not move the invitee's updated_at for no-show changes (see the
// invitee_no_show.created fixture): only the envelope's created_at differs between them.
const noShowDelivery = (
  event: string,
  createdAt: string,
  noShow: string | null,
): WebhookEnvelope => ({
  event,
  created_at: createdAt,
  payload: {
    uri: INVITEE,
    updated_at: "2026-12-01T10:12:45.334455Z",
    no_show: noShow ? { uri: noShow } : null,
  },
});

describe("dedupeKey", () => {
  it("tells apart two clears (and two marks) of the same invitee", () => {
    const keys = [
      noShowDelivery(
        "invitee_no_show.created",
        "2026-12-10T16:05:01.000000Z",
        "https://api.calendly.test/invitee_no_shows/1",
      ),
      noShowDelivery("invitee_no_show.deleted", "2026-12-10T16:06:01.000000Z", null),
      noShowDelivery(
        "invitee_no_show.created",
        "2026-12-10T16:07:01.000000Z",
        "https://api.calendly.test/invitee_no_shows/2",
      ),
      noShowDelivery("invitee_no_show.deleted", "2026-12-10T16:08:01.000000Z", null),
    ].map(dedupeKey);
    expect(new Set(keys).size).toBe(4);
  });

  it("still collapses a redelivery of the same change", () => {
    const clear = noShowDelivery("invitee_no_show.deleted", "2026-12-10T16:06:01.000000Z", null);
    expect(dedupeKey({ ...clear })).toBe(dedupeKey(clear));
    const created = {
      event: "invitee.created",
      created_at: "2026-12-01T10:00:00Z",
      payload: { uri: INVITEE, updated_at: "2026-12-01T10:00:00Z" },
    };
    // Booking changes stay keyed by updated_at alone, as before.
    expect(dedupeKey({ ...created, created_at: "2026-12-01T10:05:00Z" })).toBe(dedupeKey(created));
  });
});
