/**
 * Plumbing of the fake Zoom: database handle, seed (Dana licensed, Lee basic), settings and daily
 * counters, Zoom's `{code, message}` errors (300 "Validation Failed." with the fields), and webhook signing (`v0=` HMAC, §4.3 of the contract).
 */

import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../env";
import { hmacSha256Hex } from "../../lib/crypto";
import * as schema from "../db/zoom-schema";

/** Routes behind the bearer check know the host they act for. */
export type ZoomEnv = AppEnv & {
  Variables: AppEnv["Variables"] & { zoomUser: typeof schema.szUsers.$inferSelect };
};

export const zoomDb = (env: Env) => drizzle(env.DB, { schema });
export type ZoomDb = ReturnType<typeof zoomDb>;

export const zoomError = (
  c: Context,
  status: ContentfulStatusCode,
  code: number,
  message: string,
) => c.json({ code, message }, status);

/** Zoom's validation error: 400 code 300 naming the fields. */
export const zoomValidation = (c: Context, fields: { field: string; message: string }[]) =>
  c.json({ code: 300, message: "Validation Failed.", errors: fields }, 400);

export type ZoomSettings = {
  /** Overrides every label's per-second limit (null: Zoom's table by plan, limits.ts). */
  qpsLimit: number | null;
  webhookMode: "normal" | "duplicate" | "lost" | "out_of_order";
  /** Zoom publishes the participants report minutes after the end: 404 3001 until then. */
  participantsReportDelaySeconds: number;
};
const DEFAULTS: ZoomSettings = {
  qpsLimit: null,
  webhookMode: "normal",
  participantsReportDelaySeconds: 0,
};

export async function zoomSettings(db: ZoomDb): Promise<ZoomSettings> {
  const row = await db.query.szKv.findFirst({ where: eq(schema.szKv.key, "settings") });
  return { ...DEFAULTS, ...(row ? (JSON.parse(row.value) as Partial<ZoomSettings>) : {}) };
}

export async function saveZoomSettings(db: ZoomDb, patch: Partial<ZoomSettings>) {
  const value = JSON.stringify({ ...(await zoomSettings(db)), ...patch });
  await db
    .insert(schema.szKv)
    .values({ key: "settings", value })
    .onConflictDoUpdate({ target: schema.szKv.key, set: { value } });
  return JSON.parse(value) as ZoomSettings;
}

export async function bumpZoom(db: ZoomDb, key: string): Promise<number> {
  const rows = await db
    .insert(schema.szKv)
    .values({ key, value: "1" })
    .onConflictDoUpdate({
      target: schema.szKv.key,
      set: { value: sql`cast(value as integer) + 1` },
    })
    .returning({ value: schema.szKv.value });
  return Number(rows[0]?.value ?? 1);
}

let seeded: Promise<void> | undefined;
export function ensureZoomSeed(env: Env) {
  seeded ??= zoomDb(env)
    .insert(schema.szUsers)
    .values([
      {
        id: "zu_dana_reyes",
        accountId: "za_dana",
        email: "dana@coach.test",
        displayName: "Dana Reyes",
        timezone: "America/New_York",
        type: 2,
      },
      {
        id: "zu_lee_park",
        accountId: "za_lee",
        email: "lee@coach.test",
        displayName: "Lee Park",
        timezone: "Europe/Berlin",
        type: 1,
      },
    ])
    .onConflictDoNothing()
    .then(() => undefined)
    .catch((err) => {
      seeded = undefined;
      throw err;
    });
  return seeded;
}

/** Zoom's signature headers for a raw body. */
export async function zoomSignatureHeaders(
  secret: string,
  body: string,
  ts = Math.floor(Date.now() / 1000),
) {
  return {
    "content-type": "application/json; charset=utf-8",
    "x-zm-request-timestamp": String(ts),
    "x-zm-signature": `v0=${await hmacSha256Hex(secret, `v0:${ts}:${body}`)}`,
    "x-zm-trackingid": `v=2.0;clid=sandbox;rid=${crypto.randomUUID()}`,
  };
}
