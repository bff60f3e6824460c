/** State of the fake Zoom (sandbox only; empty in production). */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

export type Participant = {
  id: string;
  user_id: string;
  name: string;
  user_email: string;
  join_time: string;
  leave_time: string;
  duration: number;
  status: "in_meeting" | "in_waiting_room";
};

export const szMeetings = sqliteTable("sandbox_zoom_meetings", {
  id: text("id").primaryKey(), // 11 digits, a string on our side
  uuid: text("uuid").notNull(),
  userId: text("user_id").notNull(),
  topic: text("topic").notNull(),
  startTime: integer("start_time").notNull(),
  duration: integer("duration").notNull(),
  timezone: text("timezone").notNull(),
  agenda: text("agenda").notNull().default(""),
  password: text("password").notNull(),
  status: text("status", { enum: ["waiting", "started", "ended", "deleted"] }).notNull(),
  participants: text("participants", { mode: "json" }).$type<Participant[]>().notNull(),
  createdAt: integer("created_at").notNull(),
});

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
