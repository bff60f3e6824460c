/**
 * State of the fake Calendly (sandbox only; empty in production). Kept small: availability rules
 * and cancellations are JSON, tokens and codes share one table, settings and counters share a
 * key/value table. Ids are the trailing part of the resource URIs.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { BookingAnswer } from "../../db/schema";

export type Interval = { from: string; to: string };
export type Rule =
  | { type: "wday"; wday: string; intervals: Interval[] }
  | { type: "date"; date: string; intervals: Interval[] };
export type Cancellation = {
  canceled_by: string;
  reason: string | null;
  canceler_type: "host" | "invitee";
  created_at: string;
};

export const sbUsers = sqliteTable("sandbox_calendly_users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  timezone: text("timezone").notNull(),
  orgId: text("org_id").notNull(),
  scheduleId: text("schedule_id").notNull(),
  rules: text("rules", { mode: "json" }).$type<Rule[]>().notNull(),
  createdAt: text("created_at").notNull(),
});

export const sbEventTypes = sqliteTable("sandbox_calendly_event_types", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  duration: integer("duration").notNull(),
  kind: text("kind", { enum: ["solo", "group"] }).notNull(),
  inviteeLimit: integer("invitee_limit").notNull().default(1),
  position: integer("position").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  color: text("color").notNull(),
  description: text("description"),
  /** Its own availability (PATCH event_type_availability_schedules); null = the user's schedule. */
  rules: text("rules", { mode: "json" }).$type<Rule[]>(),
  rulesTimezone: text("rules_timezone"),
  /** Minutes kept free before and after each booking (PATCH /event_types). */
  beforeBuffer: integer("before_buffer").notNull().default(0),
  afterBuffer: integer("after_buffer").notNull().default(0),
  /** Minutes between offered start times (Calendly's `start_time_increment`, 5–720). */
  startTimeIncrement: integer("start_time_increment").notNull().default(30),
  createdAt: text("created_at").notNull(),
});

export const sbEvents = sqliteTable(
  "sandbox_calendly_events",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    eventTypeId: text("event_type_id").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "canceled"] }).notNull(),
    startTime: integer("start_time").notNull(), // epoch ms
    endTime: integer("end_time").notNull(),
    cancellation: text("cancellation", { mode: "json" }).$type<Cancellation | null>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("sandbox_calendly_events_user_start").on(t.userId, t.startTime)],
);

export const sbInvitees = sqliteTable(
  "sandbox_calendly_invitees",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    timezone: text("timezone").notNull(),
    status: text("status", { enum: ["active", "canceled"] }).notNull(),
    rescheduled: integer("rescheduled", { mode: "boolean" }).notNull().default(false),
    oldInviteeUri: text("old_invitee_uri"),
    newInviteeUri: text("new_invitee_uri"),
    noShowId: text("no_show_id"),
    noShowAt: text("no_show_at"),
    cancellation: text("cancellation", { mode: "json" }).$type<Cancellation | null>(),
    schedulingMethod: text("scheduling_method"),
    answers: text("answers", { mode: "json" }).$type<BookingAnswer[]>().notNull().default([]),
    tracking: text("tracking", { mode: "json" })
      .$type<Record<string, string>>()
      .notNull()
      .default({}),
    /** Calendly's own payment shape (snake_case), for paid event types. */
    payment: text("payment", { mode: "json" }).$type<Record<string, unknown> | null>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("sandbox_calendly_invitees_event").on(t.eventId)],
);

/** OAuth codes and tokens. `kind` says which; codes carry redirect_uri + PKCE challenge in meta. */
export const sbTokens = sqliteTable("sandbox_calendly_tokens", {
  token: text("token").primaryKey(),
  kind: text("kind", { enum: ["code", "access", "refresh"] }).notNull(),
  userId: text("user_id").notNull(),
  expiresAt: integer("expires_at"), // epoch ms; null = never
  revoked: integer("revoked", { mode: "boolean" }).notNull().default(false),
  meta: text("meta", { mode: "json" }).$type<Record<string, string>>().notNull(),
  createdAt: integer("created_at").notNull(),
});

export const sbSubscriptions = sqliteTable("sandbox_calendly_subscriptions", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull(),
  callbackUrl: text("callback_url").notNull().unique(),
  events: text("events", { mode: "json" }).$type<string[]>().notNull(),
  state: text("state", { enum: ["active", "disabled"] }).notNull(),
  signingKey: text("signing_key"),
  retryStartedAt: text("retry_started_at"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const sbDeliveries = sqliteTable(
  "sandbox_calendly_deliveries",
  {
    id: text("id").primaryKey(),
    subscriptionId: text("subscription_id").notNull(),
    event: text("event").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed", "lost"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatus: integer("last_status"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("sandbox_calendly_deliveries_due").on(t.status, t.nextAttemptAt)],
);

export const sbKv = sqliteTable("sandbox_calendly_kv", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
