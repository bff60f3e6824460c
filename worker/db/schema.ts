/**
 * Kairos's durable state in D1. Every coach-owned table carries `coach_id`, and every query module
 * takes a CoachScope first, so the tenant is never optional. Columns are snake_case; fields camelCase.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const timestamps = {
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
};

export const coaches = sqliteTable(
  "coaches",
  {
    id: text("id").primaryKey(), // "coa_…"
    calendlyUserUri: text("calendly_user_uri").notNull().unique(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    timeZone: text("time_zone").notNull(),
    /** The public booking slug (/book/<slug>): Calendly's, suffixed when another coach has it. */
    slug: text("slug").notNull(),
    /** The slug Calendly gave at the last sign-in; differs from `slug` after a clash. */
    calendlySlug: text("calendly_slug"),
    schedulingUrl: text("scheduling_url"),
    organizationUri: text("organization_uri"),
    /** How often Kairos compares Calendly with its own copy (15 min – 24 h). */
    syncIntervalMinutes: integer("sync_interval_minutes").notNull().default(60),
    nextSyncAt: integer("next_sync_at", { mode: "timestamp_ms" }),
    /** Origins (e.g. "https://coach.example") allowed to embed the booking widget and be returned to. */
    embedOrigins: text("embed_origins", { mode: "json" }).$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  // The 5-minute fan-out reads only the coaches due (cron/due-syncs.ts), not every coach.
  (t) => [
    index("coaches_next_sync").on(t.nextSyncAt),
    // One coach per public slug, or /book/<slug> would serve whichever row came first.
    uniqueIndex("coaches_slug").on(t.slug),
  ],
);

export const PROVIDERS = ["calendly", "zoom"] as const;
export type Provider = (typeof PROVIDERS)[number];
export const CONNECTION_STATUSES = [
  "connected",
  "refreshing",
  "degraded",
  "needs_reconnect",
  "disconnected",
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export const WEBHOOK_AVAILABILITY = ["available", "unavailable_on_plan"] as const;
export type WebhookAvailability = (typeof WEBHOOK_AVAILABILITY)[number];

export const providerConnections = sqliteTable(
  "provider_connections",
  {
    id: text("id").primaryKey(), // "con_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    externalUserId: text("external_user_id").notNull(),
    /** Zoom: the account id of the user (webhooks name the account and the host). */
    externalAccountId: text("external_account_id"),
    /** Zoom: the host's plan from `users/me` type ("basic" hosts have no participants report). */
    planType: text("plan_type"),
    /** AES-256-GCM ciphertext "<keyVersion>.<iv>.<ciphertext>", AAD binds coach, provider and field. */
    accessTokenEnc: text("access_token_enc"),
    refreshTokenEnc: text("refresh_token_enc"),
    accessExpiresAt: integer("access_expires_at", { mode: "timestamp_ms" }),
    scopes: text("scopes").notNull().default(""),
    status: text("status", { enum: CONNECTION_STATUSES }).notNull(),
    lastRefreshedAt: integer("last_refreshed_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    /**
     * Whether Calendly lets this account have the webhooks Kairos subscribes to. A plan refusal
     * (403 "Please upgrade…") is a known state, not an error: Kairos reconciles more often instead.
     */
    webhookAvailability: text("webhook_availability", { enum: WEBHOOK_AVAILABILITY })
      .notNull()
      .default("available"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("provider_connections_coach_provider").on(t.coachId, t.provider),
    // Zoom webhooks find their coach by the host's Zoom user id.
    index("provider_connections_external_user").on(t.provider, t.externalUserId),
  ],
);

export const loginSessions = sqliteTable(
  "login_sessions",
  {
    /** HMAC-SHA256(SESSION_SECRET, cookie value): a D1 leak does not leak usable cookies. */
    idHash: text("id_hash").primaryKey(),
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** Last request seen, written at most every few minutes; null (older rows) means createdAt. */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("login_sessions_coach").on(t.coachId)],
);

export const webhookSubscriptions = sqliteTable(
  "webhook_subscriptions",
  {
    id: text("id").primaryKey(), // "whs_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    uri: text("uri").notNull().unique(),
    callbackUrl: text("callback_url").notNull(),
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    state: text("state", { enum: ["active", "disabled"] }).notNull(),
    signingKeyEnc: text("signing_key_enc"),
    ...timestamps,
  },
  (t) => [index("webhook_subscriptions_coach").on(t.coachId)],
);

export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(), // "whe_…"
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    dedupeKey: text("dedupe_key").notNull().unique(),
    event: text("event").notNull(),
    coachId: text("coach_id").references(() => coaches.id, { onDelete: "cascade" }),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["received", "processed", "failed"] }).notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    processedAt: integer("processed_at", { mode: "timestamp_ms" }),
    /** Last time the sweep re-sent this row (still `received`); null until then. */
    sweptAt: integer("swept_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("webhook_events_coach_received").on(t.coachId, t.receivedAt),
    // The sweep's scan: rows still `received`, oldest first.
    index("webhook_events_status_received").on(t.status, t.receivedAt),
  ],
);

export const eventTypes = sqliteTable(
  "event_types",
  {
    id: text("id").primaryKey(), // "evt_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    calendlyUri: text("calendly_uri").notNull().unique(),
    name: text("name").notNull(),
    slug: text("slug"),
    durationMinutes: integer("duration_minutes").notNull(),
    kind: text("kind").notNull(),
    active: integer("active", { mode: "boolean" }).notNull(),
    secret: integer("secret", { mode: "boolean" }).notNull(),
    color: text("color"),
    schedulingUrl: text("scheduling_url").notNull(),
    description: text("description"),
    position: integer("position").notNull().default(0),
    /** Calendly's custom questions, as synced (asked on Kairos's booking page). */
    customQuestions: text("custom_questions", { mode: "json" })
      .$type<CustomQuestion[]>()
      .notNull()
      .default([]),
    /** Calendly's configured locations; the first one's kind is sent with POST /invitees. */
    locations: text("locations", { mode: "json" })
      .$type<{ kind: string; location?: string }[]>()
      .notNull()
      .default([]),
    /** Kairos's booking window for this event type (Calendly's API does not expose one). */
    /** Calendly's buffers around each booking, in minutes. */
    beforeBuffer: integer("before_buffer").notNull().default(0),
    afterBuffer: integer("after_buffer").notNull().default(0),
    minNoticeMinutes: integer("min_notice_minutes").notNull().default(240),
    maxDaysAhead: integer("max_days_ahead").notNull().default(60),
    ...timestamps,
  },
  (t) => [index("event_types_coach").on(t.coachId, t.position)],
);

export type CustomQuestion = {
  name: string;
  type: "string" | "text" | "phone_number" | "single_select" | "multi_select";
  position: number;
  enabled: boolean;
  required: boolean;
  answer_choices: string[];
  include_other: boolean;
};

/** A client's answer to a booking question (Calendly's `questions_and_answers` item). */
export type BookingAnswer = { question: string; answer: string; position: number };
/** Calendly's invitee `payment` (paid event types); amounts in the currency's major unit. */
export type InviteePayment = {
  externalId: string | null;
  provider: string | null;
  amount: number | null;
  currency: string | null;
  terms: string | null;
  successful: boolean | null;
};

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(), // "ses_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    calendlyUri: text("calendly_uri").notNull().unique(),
    eventTypeUri: text("event_type_uri"),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "canceled"] }).notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    location: text("location", { mode: "json" }).$type<Record<string, unknown> | null>(),
    cancelReason: text("cancel_reason"),
    canceledAt: integer("canceled_at", { mode: "timestamp_ms" }),
    /** Bumped on every reschedule/change so stale reminders can be recognised. */
    version: integer("version").notNull().default(1),
    /** Calendly's updated_at of the data we hold: older deliveries are ignored. */
    calendlyUpdatedAt: integer("calendly_updated_at", { mode: "timestamp_ms" }),
    /** When a reconcile last saw this event at Calendly; unseen in a finished run = extra. */
    lastReconciledAt: integer("last_reconciled_at", { mode: "timestamp_ms" }),
    /** When the client booked (Calendly's created_at of the event); sorts "newest bookings". */
    bookedAt: integer("booked_at", { mode: "timestamp_ms" }).notNull(),
    ...timestamps,
  },
  (t) => [
    index("sessions_coach_starts_at").on(t.coachId, t.startsAt),
    index("sessions_coach_booked_at").on(t.coachId, t.bookedAt),
  ],
);

export const invitees = sqliteTable(
  "invitees",
  {
    id: text("id").primaryKey(), // "inv_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    calendlyUri: text("calendly_uri").notNull().unique(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    timeZone: text("time_zone"),
    status: text("status", { enum: ["active", "canceled"] }).notNull(),
    noShowUri: text("no_show_uri"),
    /**
     * When the no-show state we hold became true at Calendly (webhook created_at, or when a
     * reconcile read it): no-show changes do not move updated_at, so this orders them.
     */
    noShowChangedAt: integer("no_show_changed_at", { mode: "timestamp_ms" }),
    rescheduled: integer("rescheduled", { mode: "boolean" }).notNull().default(false),
    oldInviteeUri: text("old_invitee_uri"),
    newInviteeUri: text("new_invitee_uri"),
    /**
     * The booking chain: the id of the first booking, carried to every rescheduled successor
     * (ADR 0010). Zoom moves, reminders and analytics key on it.
     */
    chainId: text("chain_id"),
    canceledBy: text("canceled_by"),
    cancelReason: text("cancel_reason"),
    cancelerType: text("canceler_type"),
    calendlyUpdatedAt: integer("calendly_updated_at", { mode: "timestamp_ms" }),
    /** Answers to the event type's questions, however the client booked (Calendly or widget). */
    answers: text("answers", { mode: "json" }).$type<BookingAnswer[]>().notNull().default([]),
    /** utm_* tags Calendly recorded for the booking. */
    tracking: text("tracking", { mode: "json" })
      .$type<Record<string, string>>()
      .notNull()
      .default({}),
    payment: text("payment", { mode: "json" }).$type<InviteePayment | null>(),
    /** Calendly's self-service link for the client (a coach may send it on). */
    rescheduleUrl: text("reschedule_url"),
    ...timestamps,
  },
  (t) => [
    index("invitees_session").on(t.sessionId),
    index("invitees_coach_email").on(t.coachId, t.email),
    // A reschedule's halves find each other by these links, whichever arrived first.
    index("invitees_old_invitee").on(t.oldInviteeUri).where(sql`old_invitee_uri is not null`),
    index("invitees_new_invitee").on(t.newInviteeUri).where(sql`new_invitee_uri is not null`),
    index("invitees_coach_chain").on(t.coachId, t.chainId),
  ],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(), // "aud_…"
    coachId: text("coach_id").references(() => coaches.id, { onDelete: "cascade" }),
    actor: text("actor").notNull(), // "coach", "system", "calendly", "zoom", "client"
    action: text("action").notNull(), // e.g. "coach.signed_in"
    subject: text("subject"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("audit_log_coach_created").on(t.coachId, t.createdAt)],
);

export const DOMAIN_EVENT_TYPES = [
  "booking.created",
  "booking.canceled",
  "booking.rescheduled",
  "invitee.no_show_marked",
  "invitee.no_show_cleared",
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/**
 * Durable outbox of domain events. The unique dedupe key makes each logical change appear exactly
 * once, however often or in whatever order the provider delivered it.
 */
export const domainEvents = sqliteTable(
  "domain_events",
  {
    id: text("id").primaryKey(), // "dev_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    type: text("type", { enum: DOMAIN_EVENT_TYPES }).notNull(),
    dedupeKey: text("dedupe_key").notNull().unique(),
    sessionId: text("session_id"),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /**
     * Handing the event to its reactors (worker/reactions/): claimed (a lease, so a crashed
     * dispatcher's claim lapses) and then sent. Null sent = not yet handed over.
     */
    reactionsClaimedAt: integer("reactions_claimed_at", { mode: "timestamp_ms" }),
    reactionsSentAt: integer("reactions_sent_at", { mode: "timestamp_ms" }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    index("domain_events_coach_created").on(t.coachId, t.createdAt),
    // Only the few events not yet handed over are in it: the dispatch and its sweep read just those.
    index("domain_events_unsent").on(t.coachId, t.createdAt).where(sql`reactions_sent_at is null`),
  ],
);

/** One reconcile/import run over a time window, advanced a page at a time (resumable). */
export const syncRuns = sqliteTable(
  "sync_runs",
  {
    id: text("id").primaryKey(), // "syn_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["import", "scheduled", "manual"] }).notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
    windowEnd: integer("window_end", { mode: "timestamp_ms" }).notNull(),
    /** Calendly page token of the next page; null before the first and after the last. */
    cursor: text("cursor"),
    pages: integer("pages").notNull().default(0),
    recordsSeen: integer("records_seen").notNull().default(0),
    recordsFixed: integer("records_fixed").notNull().default(0),
    error: text("error"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    /** Last time a page was applied (null until the first page): a run silent for long is stale. */
    progressAt: integer("progress_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("sync_runs_coach_started").on(t.coachId, t.startedAt),
    // At most one running run per coach, enforced by D1 rather than by a read-then-insert.
    uniqueIndex("sync_runs_one_running").on(t.coachId).where(sql`status = 'running'`),
  ],
);

export const BOOKING_STATUSES = ["pending", "booked", "failed", "canceled"] as const;

/**
 * A client's booking through Kairos's widget, written before Calendly is called so nothing is ever
 * half-made: `slot_key` is unique while a booking is pending or booked, which is what makes 20
 * concurrent attempts at one slot produce exactly one booking.
 */
export const bookingIntents = sqliteTable(
  "booking_intents",
  {
    id: text("id").primaryKey(), // "bki_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    /** No foreign key: a booking outlives an event type the coach deletes in Calendly. */
    eventTypeId: text("event_type_id").notNull(),
    /** Solo: coach + start (one client per slot); group: event type + start + email. */
    slotKey: text("slot_key").notNull(),
    startTime: integer("start_time", { mode: "timestamp_ms" }).notNull(),
    endTime: integer("end_time", { mode: "timestamp_ms" }).notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    timeZone: text("time_zone").notNull(),
    answers: text("answers", { mode: "json" }).$type<BookingAnswer[]>().notNull(),
    /** UTM tags and the host page's referrer, for analytics. */
    tracking: text("tracking", { mode: "json" }).$type<Record<string, string>>().notNull(),
    status: text("status", { enum: BOOKING_STATUSES }).notNull(),
    seriesId: text("series_id"),
    inviteeUri: text("invitee_uri"),
    eventUri: text("event_uri"),
    rescheduleUrl: text("reschedule_url"),
    cancelUrl: text("cancel_url"),
    error: text("error"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("booking_intents_live_slot")
      .on(t.slotKey)
      .where(sql`status in ('pending', 'booked')`),
    index("booking_intents_coach_start").on(t.coachId, t.startTime),
    index("booking_intents_series").on(t.seriesId),
  ],
);

export const BATCH_ACTIONS = ["cancel", "no_show", "export"] as const;

/** A coach's bulk action (cancel or mark no-show for many sessions), run item by item in `jobs`. */
export const batchJobs = sqliteTable(
  "batch_jobs",
  {
    id: text("id").primaryKey(), // "bat_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    action: text("action", { enum: BATCH_ACTIONS }).notNull(),
    reason: text("reason"),
    total: integer("total").notNull(),
    succeeded: integer("succeeded").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    createdAt: timestamps.createdAt,
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("batch_jobs_coach_created").on(t.coachId, t.createdAt)],
);

export const batchItems = sqliteTable(
  "batch_items",
  {
    batchId: text("batch_id")
      .notNull()
      .references(() => batchJobs.id, { onDelete: "cascade" }),
    sessionId: text("session_id").notNull(),
    status: text("status", { enum: ["pending", "done", "failed"] }).notNull(),
    message: text("message"),
    updatedAt: timestamps.updatedAt,
  },
  (t) => [uniqueIndex("batch_items_batch_session").on(t.batchId, t.sessionId)],
);

/** A coach's named weekly hours, saved from the availability calendar and applied to any type. */
export const availabilityTemplates = sqliteTable(
  "availability_templates",
  {
    id: text("id").primaryKey(), // "tpl_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Weekday blocks: [{ day, start, end }] in minutes since midnight, zone-free. */
    blocks: text("blocks", { mode: "json" })
      .$type<{ day: string; start: number; end: number }[]>()
      .notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("availability_templates_coach_name").on(t.coachId, t.name)],
);

/**
 * Public booking form tokens already spent (worker/public-booking/tokens.ts): the first submit that
 * passes the spam checks claims its token's nonce for that booking (a fingerprint of coach, event
 * type, start, client email and weeks). The primary key makes the claim atomic; rows expire with
 * the token (2 hours) and are deleted by later claims.
 */
export const formTokenUses = sqliteTable(
  "form_token_uses",
  {
    nonce: text("nonce").primaryKey(),
    fingerprint: text("fingerprint").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("form_token_uses_expires").on(t.expiresAt)],
);

export const NOTIFICATION_STATUSES = [
  "planned",
  "claimed",
  "sent",
  "skipped",
  "failed",
  "revoked",
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** What was handed to the transport, kept for the communication history, resend and /dev/mailbox. */
export type StoredMessage = {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: string }[];
};

/**
 * Every message Kairos means to send, one row each (worker/notifications/, ADR 0015). The unique
 * idempotency key (chain, kind, recipient, session version or reminder offset) makes replanning
 * after duplicated or reordered events a no-op; what the message says is derived at send time.
 */
export const notificationOutbox = sqliteTable(
  "notification_outbox",
  {
    id: text("id").primaryKey(), // "ntf_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    chainId: text("chain_id"),
    sessionId: text("session_id"),
    inviteeId: text("invitee_id"),
    kind: text("kind").notNull(),
    recipient: text("recipient").notNull(),
    channel: text("channel", { enum: ["email"] })
      .notNull()
      .default("email"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    /** reminder: the session start it was planned for and its offset; a moved session no longer matches. */
    plannedStartAt: integer("planned_start_at", { mode: "timestamp_ms" }),
    offsetMinutes: integer("offset_minutes"),
    /** reschedule_notice: the time it moved from. */
    previousStartAt: integer("previous_start_at", { mode: "timestamp_ms" }),
    status: text("status", { enum: NOTIFICATION_STATUSES }).notNull().default("planned"),
    skipReason: text("skip_reason"),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }),
    transport: text("transport"),
    providerMessageId: text("provider_message_id"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    message: text("message", { mode: "json" }).$type<StoredMessage | null>(),
    /** A coach's resend points at the message it repeats. */
    resendOf: text("resend_of"),
    ...timestamps,
  },
  (t) => [
    // The cron reads only what is still waiting, oldest due first.
    index("notification_outbox_planned").on(t.dueAt).where(sql`status = 'planned'`),
    index("notification_outbox_claimed").on(t.claimedAt).where(sql`status = 'claimed'`),
    index("notification_outbox_coach_session").on(t.coachId, t.sessionId),
    index("notification_outbox_coach_chain").on(t.coachId, t.chainId),
    index("notification_outbox_coach_recipient").on(t.coachId, t.recipient),
    // Provider delivery events (bounces, complaints) name the message by the id the provider gave.
    index("notification_outbox_provider_message").on(t.providerMessageId),
  ],
);

/** A coach's reminder offsets (minutes before the session). Absent row: 24 h and 1 h. */
export const notificationSettings = sqliteTable("notification_settings", {
  coachId: text("coach_id")
    .primaryKey()
    .references(() => coaches.id, { onDelete: "cascade" }),
  reminderOffsetsMinutes: text("reminder_offsets_minutes", { mode: "json" })
    .$type<number[]>()
    .notNull(),
  ...timestamps,
});

/** The local `outbox` transport's mail store (sandbox and dev): what /dev/mailbox shows. */
export const devMailbox = sqliteTable(
  "dev_mailbox",
  {
    id: text("id").primaryKey(), // the outbox row id
    coachId: text("coach_id"),
    message: text("message", { mode: "json" }).$type<StoredMessage>().notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("dev_mailbox_sent").on(t.sentAt)],
);

/**
 * A coach's own copy for one kind of message (Settings → Messages): subject and body with
 * {{variable}} placeholders. Absent row: the kind's default copy (notifications/render/defaults.ts).
 */
export const notificationTemplates = sqliteTable(
  "notification_templates",
  {
    id: text("id").primaryKey(), // "ntp_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("notification_templates_coach_kind").on(t.coachId, t.kind)],
);

/**
 * What one client (an address, per coach) agreed to receive beyond transactional mail: the
 * preference centre (/preferences/{token}) and one-click unsubscribe (/u/{token}) write it. Absent
 * row or absent choice: e-mail reminders and follow-ups on, SMS off (opt-in only, E.164). The id is
 * what unsubscribe tokens name (lowercase hex: notifications/preferences/tokens.ts).
 */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    id: text("id").primaryKey(), // "np" + 20 hex
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    /** Lowercased. */
    email: text("email").notNull(),
    reminders: integer("reminders", { mode: "boolean" }).notNull().default(true),
    followUps: integer("follow_ups", { mode: "boolean" }).notNull().default(true),
    /** Reminders by SMS too: only when the client opted in here, to an E.164 number. */
    smsReminders: integer("sms_reminders", { mode: "boolean" }).notNull().default(false),
    phone: text("phone"),
    ...timestamps,
  },
  (t) => [uniqueIndex("notification_preferences_coach_email").on(t.coachId, t.email)],
);

/**
 * Addresses Kairos no longer mails at all (transactional included): a hard bounce or a complaint
 * reported by the provider's signed webhook (/webhooks/email/resend) or Cloudflare's event queue.
 * Account-wide, like the providers' own lists; `coach_id` is the coach whose message it was, when
 * the provider's message id matches an outbox row. The coach sees the reason for their clients.
 */
export const emailSuppressions = sqliteTable("email_suppressions", {
  /** Lowercased. */
  email: text("email").primaryKey(),
  reason: text("reason", { enum: ["bounce", "complaint"] }).notNull(),
  source: text("source", { enum: ["resend", "cloudflare"] }).notNull(),
  /** The provider's short explanation (bounce message), at most 300 characters. */
  detail: text("detail"),
  coachId: text("coach_id"),
  providerMessageId: text("provider_message_id"),
  ...timestamps,
});

export const ZOOM_REPORT_STATES = ["pending", "fetched", "unavailable", "gone"] as const;

/**
 * One instance of a Zoom meeting (one `uuid`; a host restart is a new one), as its webhooks and the
 * past-meeting API told us. `report_due_at` is when the participants report is next read to repair
 * lost webhooks (null: nothing to do); a claim leases the row so one tick's read is not repeated.
 */
export const zoomMeetingInstances = sqliteTable(
  "zoom_meeting_instances",
  {
    uuid: text("uuid").primaryKey(),
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    /** Zoom's numeric meeting id, as a string. */
    meetingId: text("meeting_id").notNull(),
    hostId: text("host_id").notNull().default(""),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    reportState: text("report_state", { enum: ZOOM_REPORT_STATES }).notNull().default("pending"),
    reportDueAt: integer("report_due_at", { mode: "timestamp_ms" }),
    reportAttempts: integer("report_attempts").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    index("zoom_meeting_instances_coach_meeting").on(t.coachId, t.meetingId),
    // The report scan reads only the instances with a read due.
    index("zoom_meeting_instances_report_due")
      .on(t.reportDueAt)
      .where(sql`report_due_at is not null`),
  ],
);

/**
 * The attendance timeline: one row per Zoom signal (webhook or participants-report row) about one
 * person in one instance. The unique dedupe key (event, uuid, participant, event time — contract
 * §4.4) makes a repeated or replayed delivery, or a re-read report, a no-op.
 */
export const zoomAttendanceEvents = sqliteTable(
  "zoom_attendance_events",
  {
    id: text("id").primaryKey(), // "zae_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    meetingId: text("meeting_id").notNull(),
    meetingUuid: text("meeting_uuid").notNull(),
    kind: text("kind").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    leaveAt: integer("leave_at", { mode: "timestamp_ms" }),
    reportStatus: text("report_status"),
    zoomUserId: text("zoom_user_id").notNull().default(""),
    name: text("name").notNull().default(""),
    email: text("email").notNull().default(""),
    registrantId: text("registrant_id").notNull().default(""),
    participantUuid: text("participant_uuid").notNull().default(""),
    dedupeKey: text("dedupe_key").notNull().unique(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("zoom_attendance_events_coach_meeting").on(t.coachId, t.meetingId)],
);

export const ATTENDANCE_DECISIONS = ["proposed", "confirmed", "dismissed"] as const;

/**
 * A proposed no-show and what became of it: the coach confirmed (Calendly marked) or dismissed
 * it, or auto-confirm did at `auto_confirm_at`. One row per invitee.
 */
export const attendanceReviews = sqliteTable(
  "attendance_reviews",
  {
    inviteeId: text("invitee_id")
      .primaryKey()
      .references(() => invitees.id, { onDelete: "cascade" }),
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    sessionId: text("session_id").notNull(),
    state: text("state", { enum: ATTENDANCE_DECISIONS }).notNull(),
    autoConfirmAt: integer("auto_confirm_at", { mode: "timestamp_ms" }),
    decidedBy: text("decided_by", { enum: ["coach", "auto"] }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    ...timestamps,
  },
  (t) => [
    index("attendance_reviews_session").on(t.coachId, t.sessionId),
    index("attendance_reviews_auto_confirm")
      .on(t.autoConfirmAt)
      .where(sql`auto_confirm_at is not null`),
  ],
);

/** A coach's attendance rules; no row = the defaults (grace 15, late 10, auto-confirm off). */
export const attendanceSettings = sqliteTable("attendance_settings", {
  coachId: text("coach_id")
    .primaryKey()
    .references(() => coaches.id, { onDelete: "cascade" }),
  graceMinutes: integer("grace_minutes").notNull().default(15),
  lateMinutes: integer("late_minutes").notNull().default(10),
  /** Confirm a proposed no-show this many hours after it was proposed; null = never (default). */
  autoConfirmHours: integer("auto_confirm_hours"),
  ...timestamps,
});

export const CONFERENCING_PROVIDERS = ["zoom", "none"] as const;
export type ConferencingProvider = (typeof CONFERENCING_PROVIDERS)[number];

/**
 * A coach's video-meeting choice per event type (PUT /api/event-types/{id}/conferencing). Absent
 * row: no meeting. Only bookings made since `zoom_since` get a new meeting. `passcode_mode` "generate" = a fresh passcode per meeting, "fixed" = `passcode`,
 * "none" = Zoom's account rules decide.
 */
export const eventTypeConferencing = sqliteTable(
  "event_type_conferencing",
  {
    eventTypeId: text("event_type_id")
      .primaryKey()
      .references(() => eventTypes.id, { onDelete: "cascade" }),
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: CONFERENCING_PROVIDERS }).notNull(),
    waitingRoom: integer("waiting_room", { mode: "boolean" }).notNull().default(true),
    joinBeforeHost: integer("join_before_host", { mode: "boolean" }).notNull().default(false),
    passcodeMode: text("passcode_mode", { enum: ["generate", "fixed", "none"] })
      .notNull()
      .default("generate"),
    passcode: text("passcode"),
    /** When the type was set to Zoom: bookings made before then keep what they had. */
    zoomSince: integer("zoom_since", { mode: "timestamp_ms" }),
    ...timestamps,
  },
  (t) => [index("event_type_conferencing_coach").on(t.coachId)],
);

export const ZOOM_MEETING_STATUSES = ["creating", "ready", "failed", "deleted"] as const;
export type ZoomMeetingStatus = (typeof ZOOM_MEETING_STATUSES)[number];

/**
 * The Zoom meeting Kairos keeps for a booking (worker/zoom/meetings/). One row per `meeting_key`:
 * "chain:<chainId>" for one-to-one types (a reschedule moves the same meeting), "session:<id>" for
 * group types (one meeting per scheduled event). The row is written BEFORE Zoom is asked to create
 * (status `creating`, `create_started_at`), so a retry looks for the `kairos:<meetingKey>` agenda
 * marker before creating again. `start_url` is never stored (it carries the host's key; fetched
 * fresh when needed). `session_id` is the session the meeting serves now; attendance finds the
 * session by (coach_id, zoom_meeting_id).
 */
export const zoomMeetings = sqliteTable(
  "zoom_meetings",
  {
    id: text("id").primaryKey(), // "zmt_…"
    coachId: text("coach_id")
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    meetingKey: text("meeting_key").notNull(),
    chainId: text("chain_id"),
    sessionId: text("session_id").notNull(),
    /** Zoom's numeric id as a string; null until a create answered (or was found again). */
    zoomMeetingId: text("zoom_meeting_id"),
    zoomUuid: text("zoom_uuid"),
    joinUrl: text("join_url"),
    passcode: text("passcode"),
    status: text("status", { enum: ZOOM_MEETING_STATUSES }).notNull(),
    /** What Zoom holds (start, minutes, topic): a change of the session is PATCHed only when it differs. */
    startsAt: integer("starts_at", { mode: "timestamp_ms" }),
    durationMinutes: integer("duration_minutes"),
    topic: text("topic"),
    /** Set when a create was sent: from then on a retry must look for the meeting first. */
    createStartedAt: integer("create_started_at", { mode: "timestamp_ms" }),
    error: text("error"),
    retryAt: integer("retry_at", { mode: "timestamp_ms" }),
    attempts: integer("attempts").notNull().default(0),
    /** A sync job's lease: one job at a time talks to Zoom about this meeting. */
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("zoom_meetings_coach_key").on(t.coachId, t.meetingKey),
    index("zoom_meetings_coach_session").on(t.coachId, t.sessionId),
    index("zoom_meetings_coach_zoom_id").on(t.coachId, t.zoomMeetingId),
  ],
);
