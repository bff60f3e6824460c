/**
 * Shared plumbing of the fake Calendly: its database handle, settings and counters (key/value),
 * URI builders on the configured base, timestamps in Calendly's format, and its error bodies.
 */

import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as schema from "../db/schema";

export const sandboxDb = (env: Env) => drizzle(env.DB, { schema });
export type SandboxDb = ReturnType<typeof sandboxDb>;

export const uris = (base: string) => ({
  user: (id: string) => `${base}/users/${id}`,
  org: (id: string) => `${base}/organizations/${id}`,
  eventType: (id: string) => `${base}/event_types/${id}`,
  event: (id: string) => `${base}/scheduled_events/${id}`,
  invitee: (eventId: string, id: string) => `${base}/scheduled_events/${eventId}/invitees/${id}`,
  noShow: (id: string) => `${base}/invitee_no_shows/${id}`,
  subscription: (id: string) => `${base}/webhook_subscriptions/${id}`,
  schedule: (id: string) => `${base}/user_availability_schedules/${id}`,
});

/** Calendly writes UTC with six fraction digits. */
export const iso6 = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export const idFromUri = (uri: string) => uri.slice(uri.lastIndexOf("/") + 1);

export type Settings = {
  rateLimitPerMinute: number;
  /** What happens to each delivery: webhook-modes.ts. */
  webhookMode: "normal" | "duplicate" | "lost" | "out_of_order" | "delayed" | "chaos";
};
export const DEFAULT_SETTINGS: Settings = {
  rateLimitPerMinute: 500,
  webhookMode: "normal",
};

export async function getSettings(db: SandboxDb): Promise<Settings> {
  const row = await db.query.sbKv.findFirst({ where: eq(schema.sbKv.key, "settings") });
  return { ...DEFAULT_SETTINGS, ...(row ? (JSON.parse(row.value) as Partial<Settings>) : {}) };
}

export async function saveSettings(db: SandboxDb, patch: Partial<Settings>) {
  const next = { ...(await getSettings(db)), ...patch };
  await db
    .insert(schema.sbKv)
    .values({ key: "settings", value: JSON.stringify(next) })
    .onConflictDoUpdate({ target: schema.sbKv.key, set: { value: JSON.stringify(next) } });
  return next;
}

/** Adds one to a counter and returns the new value (atomic in D1). */
export async function bump(db: SandboxDb, key: string): Promise<number> {
  const rows = await db
    .insert(schema.sbKv)
    .values({ key, value: "1" })
    .onConflictDoUpdate({
      target: schema.sbKv.key,
      set: { value: sql`cast(value as integer) + 1` },
    })
    .returning({ value: schema.sbKv.value });
  return Number(rows[0]?.value ?? 1);
}

export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  details?: { parameter?: string; message: string }[],
) {
  return c.json(details ? { title, message, details } : { title, message }, status);
}

export const invalid = (c: Context, parameter: string, message: string) =>
  apiError(c, 400, "Invalid Argument", "The supplied parameters are invalid.", [
    { parameter, message },
  ]);

export const oauthError = (
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  description: string,
) => c.json({ error, error_description: description }, status);
