/**
 * Kairos reads Calendly's six-digit timestamps (`2026-12-01T10:12:45.123456Z`) from Calendly's own
 * sample answers: the instant is kept to the millisecond and nothing is refused.
 */
import { describe, expect, it } from "vitest";
import { ApiInvitee, ScheduledEventPayload } from "../../../worker/calendly/invitee-payload";
import { AvailableTime, CalendlyEventType } from "../../../worker/calendly/schemas";
import availableTimes from "../../fixtures/calendly-api/event-type-available-times.json";
import eventType from "../../fixtures/calendly-api/event-type-get.json";
import event from "../../fixtures/calendly-api/scheduled-event-get.json";
import invitee from "../../fixtures/calendly-api/scheduled-event-invitee-get.json";

describe("Calendly timestamps with microseconds", () => {
  it("a scheduled event keeps its instants to the millisecond", () => {
    const e = ScheduledEventPayload.parse(event.resource);
    expect(e.start_time.toISOString()).toBe("2026-12-10T15:00:00.000Z");
    expect(e.created_at?.toISOString()).toBe("2026-12-01T10:12:45.123Z");
    expect(e.updated_at?.toISOString()).toBe("2026-12-01T10:12:47.654Z");
  });

  it("an invitee's updated_at keeps its milliseconds (reconcile compares it)", () => {
    expect(ApiInvitee.parse(invitee.resource).updated_at.toISOString()).toBe(
      "2026-12-01T10:12:45.334Z",
    );
  });

  it("event types and available times parse", () => {
    expect(CalendlyEventType.safeParse(eventType.resource).success).toBe(true);
    for (const t of availableTimes.collection) {
      expect(AvailableTime.safeParse(t).success).toBe(true);
    }
  });

  it("a garbled timestamp is refused, not read as some other time", () => {
    expect(
      ScheduledEventPayload.safeParse({ ...event.resource, start_time: "garbage" }).success,
    ).toBe(false);
  });
});
