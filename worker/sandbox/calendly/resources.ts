/** Rows of the fake → Calendly API v2 resource shapes (contract §2–§3). */
import type { Cancellation } from "../db/schema";
import { sbEvents, sbEventTypes, sbInvitees, sbSubscriptions, sbUsers } from "../db/schema";
import { POOLING, TEAM } from "./organizations";
import { questionsFor } from "./questions";
import { iso6, uris } from "./store";

type User = typeof sbUsers.$inferSelect;
type EventType = typeof sbEventTypes.$inferSelect;
type Event = typeof sbEvents.$inferSelect;
type Invitee = typeof sbInvitees.$inferSelect;
type Subscription = typeof sbSubscriptions.$inferSelect;

export function userResource(base: string, appUrl: string, u: User) {
  const at = uris(base);
  return {
    uri: at.user(u.id),
    name: u.name,
    slug: u.slug,
    email: u.email,
    scheduling_url: `${appUrl}/sandbox/calendly/p/${u.slug}`,
    timezone: u.timezone,
    time_notation: "12h",
    avatar_url: null,
    created_at: u.createdAt,
    updated_at: u.createdAt,
    current_organization: at.org(u.orgId),
    resource_type: "User",
    locale: "en",
  };
}

/** Calendly's label for the event type's kind (its schema requires it). */
const KIND_DESCRIPTION = { solo: "One-on-One", group: "Group" } as const;
const POOLED_DESCRIPTION: Record<string, string> = {
  round_robin: "Round Robin",
  collective: "Collective",
};

export function eventTypeResource(base: string, appUrl: string, u: User, et: EventType) {
  const at = uris(base);
  return {
    uri: at.eventType(et.id),
    name: et.name,
    active: et.active,
    booking_method: "instant",
    slug: et.slug,
    scheduling_url: `${appUrl}/sandbox/calendly/p/${u.slug}/${et.slug}`,
    duration: et.duration,
    duration_options: null,
    kind: et.kind,
    // Team types (organizations.ts) are pooled among the team's hosts.
    pooling_type: POOLING[et.id] ?? null,
    kind_description: POOLED_DESCRIPTION[POOLING[et.id] ?? ""] ?? KIND_DESCRIPTION[et.kind],
    type: "StandardEventType",
    color: et.color,
    created_at: et.createdAt,
    updated_at: et.createdAt,
    deleted_at: null,
    internal_note: null,
    description_plain: et.description,
    description_html: et.description ? `<p>${et.description}</p>` : null,
    profile: POOLING[et.id]
      ? { type: "Team", name: TEAM.name, owner: at.org(u.orgId) }
      : { type: "User", name: u.name, owner: at.user(u.id) },
    secret: false,
    admin_managed: false,
    is_paid: false,
    locations: [{ kind: "zoom_conference" }],
    position: et.position,
    locale: "en",
    custom_questions: questionsFor(et.slug),
    start_time_increment: et.startTimeIncrement,
    before_buffer: et.beforeBuffer,
    after_buffer: et.afterBuffer,
  };
}

/**
 * Like Calendly, a new booking's conference link is not ready at once: for its first 30 seconds the
 * location is `processing` with `join_url` and `data` null (webhooks sent at booking time carry
 * that), then `pushed` with the link and Zoom's meeting data. The type is the 2026 `"zoom"` variant.
 * `data` is always present: Calendly's schema requires the key, null or not.
 */
function conferenceLocation(e: Event) {
  const fresh = Date.now() - Date.parse(e.createdAt) < 30_000;
  if (fresh) return { type: "zoom", status: "processing", join_url: null, data: null };
  return {
    type: "zoom",
    status: "pushed",
    join_url: `https://zoom.sandbox.test/j/${e.id}`,
    data: {
      id: e.id,
      settings: {
        global_dial_in_numbers: [
          {
            number: "+1 555 010 0100",
            country: "US",
            type: "toll",
            city: "New York",
            country_name: "US",
          },
        ],
      },
      extra: { intl_numbers_url: "https://zoom.sandbox.test/u/dial-in" },
      password: "sandbox",
    },
  };
}

/** Invitees of an event: `total` counts canceled ones too, `active` only those still booked. */
export type InviteeCounts = { total: number; active: number };

/** The event's times widened by its type's buffers (busy times and event memberships carry them). */
export function bufferedTimes(e: Event, et: EventType | undefined) {
  return {
    buffered_start_time: iso6(e.startTime - (et?.beforeBuffer ?? 0) * 60_000),
    buffered_end_time: iso6(e.endTime + (et?.afterBuffer ?? 0) * 60_000),
  };
}

export function eventResource(
  base: string,
  u: User,
  e: Event,
  invitees: InviteeCounts,
  et: EventType | undefined,
) {
  const at = uris(base);
  return {
    uri: at.event(e.id),
    name: e.name,
    meeting_notes_plain: null,
    meeting_notes_html: null,
    status: e.status,
    start_time: iso6(e.startTime),
    end_time: iso6(e.endTime),
    event_type: at.eventType(e.eventTypeId),
    location: conferenceLocation(e),
    invitees_counter: { ...invitees, limit: et?.inviteeLimit ?? 1 },
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    event_memberships: [
      { user: at.user(u.id), user_email: u.email, user_name: u.name, ...bufferedTimes(e, et) },
    ],
    event_guests: [],
    calendar_event: null,
    ...(e.cancellation ? { cancellation: e.cancellation } : {}),
  };
}

export function inviteeResource(base: string, appUrl: string, i: Invitee) {
  const at = uris(base);
  const [first, ...rest] = i.name.split(" ");
  const cancellation: Cancellation | null = i.cancellation ?? null;
  return {
    uri: at.invitee(i.eventId, i.id),
    email: i.email,
    name: i.name,
    first_name: first ?? null,
    last_name: rest.join(" ") || null,
    status: i.status,
    questions_and_answers: i.answers,
    timezone: i.timezone,
    event: at.event(i.eventId),
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    tracking: {
      utm_campaign: i.tracking.utm_campaign ?? null,
      utm_source: i.tracking.utm_source ?? null,
      utm_medium: i.tracking.utm_medium ?? null,
      utm_content: i.tracking.utm_content ?? null,
      utm_term: i.tracking.utm_term ?? null,
      salesforce_uuid: null,
    },
    text_reminder_number: null,
    rescheduled: i.rescheduled,
    old_invitee: i.oldInviteeUri,
    new_invitee: i.newInviteeUri,
    cancel_url: `${appUrl}/sandbox/calendly/cancellations/${i.id}`,
    reschedule_url: `${appUrl}/sandbox/calendly/reschedulings/${i.id}`,
    routing_form_submission: null,
    payment: i.payment ?? null,
    no_show: i.noShowId ? { uri: at.noShow(i.noShowId), created_at: i.noShowAt } : null,
    reconfirmation: null,
    scheduling_method: i.schedulingMethod,
    invitee_scheduled_by: null,
    ...(cancellation ? { cancellation } : {}),
  };
}

export function subscriptionResource(base: string, u: User, s: Subscription) {
  const at = uris(base);
  return {
    uri: at.subscription(s.id),
    callback_url: s.callbackUrl,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    retry_started_at: s.retryStartedAt,
    state: s.state,
    events: s.events,
    scope: "user",
    organization: at.org(u.orgId),
    user: at.user(u.id),
    group: null,
    creator: at.user(u.id),
  };
}
