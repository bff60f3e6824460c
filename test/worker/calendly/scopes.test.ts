import { describe, expect, it } from "vitest";
import { type CalendlyClient, createCalendlyClient } from "../../../worker/calendly/client";
import { CALENDLY_WEBHOOK_EVENTS } from "../../../worker/calendly/ensure-subscription";
import { CALENDLY_SCOPES } from "../../../worker/calendly/oauth";
import type { CreateInvitee, CreateSubscription } from "../../../worker/calendly/schemas";
import { requiredScopes, webhookEventScopes } from "../../../worker/sandbox/calendly/scopes";
import type { ApiCall } from "../../../worker/upstream/transport";

const uri = (kind: string) => `https://api.calendly.com/${kind}/AAAA1111`;
const window = { start: new Date("2030-01-01T00:00:00Z"), end: new Date("2030-01-02T00:00:00Z") };

/** One call of every client method; `satisfies` makes a new method fail typecheck until added. */
const everyCall = {
  me: (c) => c.me(),
  eventTypes: (c) => c.eventTypes(uri("users")),
  scheduledEventsPage: (c) => c.scheduledEventsPage(uri("users"), window, null),
  eventInvitees: (c) => c.eventInvitees(uri("scheduled_events")),
  availableTimes: (c) => c.availableTimes(uri("event_types"), window),
  createInvitee: (c) => c.createInvitee({} as CreateInvitee),
  eventsOfInvitee: (c) => c.eventsOfInvitee(uri("users"), "a@b.test", window),
  updateEventType: (c) => c.updateEventType(uri("event_types"), { before_buffer: 5 }),
  eventTypeSchedule: (c) => c.eventTypeSchedule(uri("event_types")),
  updateEventTypeSchedule: (c) =>
    c.updateEventTypeSchedule(uri("event_types"), { timezone: "UTC", rules: [] }),
  busyTimes: (c) => c.busyTimes(uri("users"), window),
  getEvent: (c) => c.getEvent(uri("scheduled_events")),
  markNoShow: (c) => c.markNoShow(uri("invitees")),
  unmarkNoShow: (c) => c.unmarkNoShow(uri("invitee_no_shows")),
  cancelEvent: (c) => c.cancelEvent(uri("scheduled_events"), "why"),
  getSubscription: (c) => c.getSubscription("AAAA1111"),
  createSubscription: (c) =>
    c.createSubscription({ events: CALENDLY_WEBHOOK_EVENTS } as unknown as CreateSubscription),
  deleteSubscription: (c) => c.deleteSubscription("AAAA1111"),
} satisfies Record<keyof CalendlyClient, (c: CalendlyClient) => unknown>;

async function callsKairosMakes(): Promise<ApiCall[]> {
  const calls: ApiCall[] = [];
  const client = createCalendlyClient(async (call) => {
    calls.push(call);
    return { status: 200, body: {} };
  });
  for (const run of Object.values(everyCall)) {
    const result = run(client) as Promise<unknown> | AsyncIterable<unknown>;
    // The empty answers fail to parse; only the request matters here.
    if (Symbol.asyncIterator in result) {
      await result[Symbol.asyncIterator]()
        .next()
        .catch(() => undefined);
    } else await result.catch(() => undefined);
  }
  return calls;
}

describe("the Calendly scopes Kairos requests", () => {
  it("are exactly the scopes its calls need (endpoint map of the fake, contract §1.5)", async () => {
    const calls = await callsKairosMakes();
    expect(calls.length).toBe(Object.keys(everyCall).length);
    const needed = new Set<string>();
    for (const call of calls) {
      const scopes = requiredScopes(call.method, call.path);
      expect(scopes, `${call.method} ${call.path} has no scope in the map`).not.toBeNull();
      for (const s of scopes ?? []) needed.add(s);
      if (call.method === "POST" && call.path === "/webhook_subscriptions") {
        const events = (call.body as { events: string[] }).events;
        for (const s of webhookEventScopes(events)) needed.add(s);
      }
    }
    expect(CALENDLY_SCOPES.split(" ").sort()).toEqual([...needed].sort());
  });
});
