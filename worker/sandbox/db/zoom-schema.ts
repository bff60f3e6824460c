/** State of the fake Zoom (sandbox only; empty in production). */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const szUsers = sqliteTable("sandbox_zoom_users", {
  id: text("id").primaryKey(),
  accountId: text("account_id").notNull(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  timezone: text("timezone").notNull(),
  type: integer("type").notNull(), // 1 Basic, 2 Licensed
});

export const szTokens = sqliteTable("sandbox_zoom_tokens", {
  token: text("token").primaryKey(),
  kind: text("kind", { enum: ["code", "access", "refresh"] }).notNull(),
  userId: text("user_id").notNull(),
  expiresAt: integer("expires_at"),
  revoked: integer("revoked", { mode: "boolean" }).notNull().default(false),
  meta: text("meta", { mode: "json" }).$type<Record<string, string>>().notNull(),
  createdAt: integer("created_at").notNull(),
});

/** A row of `GET /past_meetings/{uuid}/participants` (duration in SECONDS per join row). */
export type Participant = {
  id: string;
  name: string;
  user_id: string;
  registrant_id: string;
  user_email: string;
  join_time: string;
  leave_time: string;
  duration: number;
  failover: boolean;
  status: "in_meeting" | "in_waiting_room";
  internal_user: boolean;
};

/** The `settings` object of a meeting as Kairos sends it (what the scenarios follow). */
export type MeetingSettings = {
  waiting_room: boolean;
  join_before_host: boolean;
  jbh_time: number;
  approval_type: number;
  email_notification: boolean;
  auto_recording: string;
  host_video: boolean;
  participant_video: boolean;
  meeting_invitees: { email: string }[];
};

export const szMeetings = sqliteTable("sandbox_zoom_meetings", {
  id: text("id").primaryKey(), // 11 digits, a string on our side
  /** The current instance's UUID: the one a numeric id resolves to; a restart gets a new one. */
  uuid: text("uuid").notNull(),
  userId: text("user_id").notNull(),
  topic: text("topic").notNull(),
  startTime: integer("start_time").notNull(),
  duration: integer("duration").notNull(),
  timezone: text("timezone").notNull(),
  agenda: text("agenda").notNull().default(""),
  password: text("password").notNull(),
  settings: text("settings", { mode: "json" })
    .$type<MeetingSettings>()
    .notNull()
    .default(sql`'{}'`),
  status: text("status", { enum: ["waiting", "started", "ended", "deleted"] }).notNull(),
  createdAt: integer("created_at").notNull(),
});

/** One played instance of a meeting (a simulation), with the timeline its reports come from. */
export const szInstances = sqliteTable(
  "sandbox_zoom_instances",
  {
    uuid: text("uuid").primaryKey(),
    meetingId: text("meeting_id").notNull(),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    participants: text("participants", { mode: "json" }).$type<Participant[]>().notNull(),
    /** Zoom publishes the participants report minutes after the end: 404 3001 until then. */
    reportAt: integer("report_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("sandbox_zoom_instances_meeting").on(t.meetingId, t.createdAt)],
);

export const szDeliveries = sqliteTable("sandbox_zoom_deliveries", {
  id: text("id").primaryKey(),
  event: text("event").notNull(),
  body: text("body").notNull(),
  status: text("status", { enum: ["pending", "delivered", "failed", "dropped", "lost"] }).notNull(),
  attempts: integer("attempts").notNull().default(0),
  lastStatus: integer("last_status"),
  nextAttemptAt: integer("next_attempt_at"),
  createdAt: integer("created_at").notNull(),
});

export const szKv = sqliteTable("sandbox_zoom_kv", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
