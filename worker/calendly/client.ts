/**
 * The one typed Calendly API client. Every response is zod-parsed; list endpoints are exposed as
 * async iterators that follow `next_page_token`, so callers never hand-roll pagination.
 */
import { z } from "zod";
import { AppError } from "../lib/errors";
import type { ApiCall, Transport } from "../upstream/transport";
import { ApiInvitee, CreatedInvitee, ScheduledEventPayload } from "./invitee-payload";
import {
  AvailableTime,
  CalendlyEventType,
  CalendlyUser,
  type CreateInvitee,
  type CreateSubscription,
  collection,
  EventTypeSchedule,
  resource,
  uuidOf,
  WebhookSubscription,
} from "./schemas";

type Query = NonNullable<ApiCall["query"]>;

export function createCalendlyClient(transport: Transport) {
  function get<T extends z.ZodType>(path: string, query: Query, schema: T): Promise<z.infer<T>> {
    return send("GET", path, query, undefined, schema);
  }

  async function send<T extends z.ZodType>(
    method: ApiCall["method"],
    path: string,
    query: Query,
    body: unknown,
    schema: T,
  ): Promise<z.infer<T>> {
    const answer = await transport({ method, path, query, body });
    const parsed = schema.safeParse(answer.body ?? {});
    if (!parsed.success) {
      throw new AppError("upstream_error", "Calendly sent a response Kairos could not read.", {
        internal: { path, issues: parsed.error.issues.slice(0, 5) },
      });
    }
    return parsed.data;
  }

  async function* paginate<T extends z.ZodType>(path: string, query: Query, item: T) {
    let pageToken: string | undefined;
    do {
      const page = await get(
        path,
        { ...query, count: 100, page_token: pageToken },
        collection(item),
      );
      yield* page.collection as z.infer<T>[];
      pageToken = page.pagination.next_page_token ?? undefined;
    } while (pageToken);
  }

  return {
    me: async () => (await get("/users/me", {}, resource(CalendlyUser))).resource,
    eventTypes: (userUri: string) => paginate("/event_types", { user: userUri }, CalendlyEventType),
    /** One page of the user's scheduled events in a window (pages are resumable by token). */
    scheduledEventsPage: (
      userUri: string,
      window: { start: Date; end: Date },
      pageToken: string | null,
      count = 50,
    ) =>
      get(
        "/scheduled_events",
        {
          user: userUri,
          min_start_time: window.start.toISOString(),
          max_start_time: window.end.toISOString(),
          sort: "start_time:asc",
          count,
          page_token: pageToken ?? undefined,
        },
        collection(ScheduledEventPayload),
      ),
    eventInvitees: (eventUri: string) =>
      paginate(`/scheduled_events/${uuidOf(eventUri)}/invitees`, {}, ApiInvitee),
    /** Open start times of an event type; Calendly allows windows of at most 31 days. */
    availableTimes: async (eventTypeUri: string, window: { start: Date; end: Date }) =>
      (
        await get(
          "/event_type_available_times",
          {
            event_type: eventTypeUri,
            start_time: window.start.toISOString(),
            end_time: window.end.toISOString(),
          },
          z.looseObject({ collection: z.array(AvailableTime) }),
        )
      ).collection,
    /** Books like the booking page (Scheduling API). Never retried blindly: no idempotency key. */
    createInvitee: async (body: CreateInvitee) =>
      (await send("POST", "/invitees", {}, body, resource(CreatedInvitee))).resource,
    /** The invitee's events starting in a window (to find a booking whose answer was lost). */
    eventsOfInvitee: (userUri: string, email: string, window: { start: Date; end: Date }) =>
      get(
        "/scheduled_events",
        {
          user: userUri,
          invitee_email: email,
          min_start_time: window.start.toISOString(),
          max_start_time: window.end.toISOString(),
          status: "active",
        },
        collection(ScheduledEventPayload),
      ),
    /** Edits a solo event type (only the fields given change; contract §2.2). */
    updateEventType: async (
      eventTypeUri: string,
      patch: { before_buffer?: number; after_buffer?: number },
    ) =>
      (
        await send(
          "PATCH",
          `/event_types/${uuidOf(eventTypeUri)}`,
          {},
          patch,
          resource(CalendlyEventType),
        )
      ).resource,
    /** The event type's availability rules (contract §2.4). */
    eventTypeSchedule: async (eventTypeUri: string) =>
      (
        await get(
          "/event_type_availability_schedules",
          { event_type: eventTypeUri },
          z.looseObject({ collection: z.array(EventTypeSchedule) }),
        )
      ).collection[0]?.availability_rule ?? null,
    /** Replaces all of the event type's rules: callers send the whole list. */
    updateEventTypeSchedule: (eventTypeUri: string, rule: { timezone: string; rules: unknown[] }) =>
      send(
        "PATCH",
        "/event_type_availability_schedules",
        { event_type: eventTypeUri },
        { availability_rule: rule, availability_setting: "host" },
        z.unknown(),
      ),
    /** The user's busy times (Calendly bookings and external calendars); windows of ≤ 7 days. */
    busyTimes: async (userUri: string, window: { start: Date; end: Date }) =>
      (
        await get(
          "/user_busy_times",
          {
            user: userUri,
            start_time: window.start.toISOString(),
            end_time: window.end.toISOString(),
          },
          z.looseObject({
            collection: z.array(
              z.looseObject({ type: z.string(), start_time: z.string(), end_time: z.string() }),
            ),
          }),
        )
      ).collection,
    getEvent: async (eventUri: string) =>
      (await get(`/scheduled_events/${uuidOf(eventUri)}`, {}, resource(ScheduledEventPayload)))
        .resource,
    /** Marks an invitee as a no-show; Calendly answers with the no-show's URI. */
    markNoShow: async (inviteeUri: string) =>
      (
        await send(
          "POST",
          "/invitee_no_shows",
          {},
          { invitee: inviteeUri },
          resource(z.looseObject({ uri: z.string() })),
        )
      ).resource,
    unmarkNoShow: (noShowUri: string) =>
      send("DELETE", `/invitee_no_shows/${uuidOf(noShowUri)}`, {}, undefined, z.unknown()),
    cancelEvent: (eventUri: string, reason: string) =>
      send(
        "POST",
        `/scheduled_events/${uuidOf(eventUri)}/cancellation`,
        {},
        { reason },
        z.unknown(),
      ),
    getSubscription: async (uuid: string) =>
      (await get(`/webhook_subscriptions/${uuid}`, {}, resource(WebhookSubscription))).resource,
    createSubscription: async (body: CreateSubscription) =>
      (await send("POST", "/webhook_subscriptions", {}, body, resource(WebhookSubscription)))
        .resource,
    deleteSubscription: (uuid: string) =>
      send("DELETE", `/webhook_subscriptions/${uuid}`, {}, undefined, z.unknown()),
  };
}

export type CalendlyClient = ReturnType<typeof createCalendlyClient>;

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
