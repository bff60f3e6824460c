/**
 * Switches for breaking the fake Zoom on purpose, one queue per target ("api" for REST, "token" for
 * the OAuth token endpoint), kept in the key/value table: a burst of 5xx, slow answers that outlive
 * Kairos's timeout, 429s (per-second with the X-RateLimit-* headers, or daily with Zoom's daily
 * message), and "Zoom did it but the reply was lost": the request takes effect, then the answer is
 * held back and replaced by a gateway timeout, so a client that retries meets the effect (a second
 * meeting, a spent refresh token).
 */
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { szKv } from "../db/zoom-schema";
import { type ZoomDb, zoomDb } from "./store";

export const FAULT_KINDS = ["5xx", "timeout", "429_qps", "429_daily", "lost_reply"] as const;
export type FaultTarget = "api" | "token";
export type Fault = {
  kind: (typeof FAULT_KINDS)[number];
  /** Answers still to be spoiled; the fault is over at 0. */
  remaining: number;
  /** timeout / lost_reply: how long the answer is held back. */
  delayMs?: number;
};
export const DEFAULT_DELAY_MS = 12_000; // beyond Kairos's 10 s upstream timeout
const key = (target: FaultTarget) => `faults:${target}`;

export async function getFault(db: ZoomDb, target: FaultTarget): Promise<Fault | null> {
  const row = await db.query.szKv.findFirst({ where: eq(szKv.key, key(target)) });
  const fault = row ? (JSON.parse(row.value) as Fault) : null;
  return fault && fault.remaining > 0 ? fault : null;
}

export async function setFault(db: ZoomDb, target: FaultTarget, fault: Fault | null) {
  if (!fault || fault.remaining <= 0) {
    await db.delete(szKv).where(eq(szKv.key, key(target)));
    return null;
  }
  const value = JSON.stringify(fault);
  await db
    .insert(szKv)
    .values({ key: key(target), value })
    .onConflictDoUpdate({ target: szKv.key, set: { value } });
  return fault;
}

/** Takes one unit of the target's fault in a single statement; returns it or null. */
async function consumeFault(db: ZoomDb, target: FaultTarget): Promise<Fault | null> {
  const rows = await db
    .update(szKv)
    .set({
      value: sql`json_set(${szKv.value}, '$.remaining', json_extract(${szKv.value}, '$.remaining') - 1)`,
    })
    .where(and(eq(szKv.key, key(target)), sql`json_extract(${szKv.value}, '$.remaining') > 0`))
    .returning({ value: szKv.value });
  return rows[0] ? (JSON.parse(rows[0].value) as Fault) : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const midnightUtc = () => new Date(new Date().setUTCHours(24, 0, 0, 0));

export const QPS_MESSAGE =
  "You have reached the maximum per-second rate limit for this API. Try again later.";
export const DAILY_MESSAGE =
  "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.";

/** Zoom's 429s; headers as reported on the rate-limits page (fixture errors/rate-limit-429.json). */
export function qpsLimited(c: Context, category: string, limit: number) {
  c.header("X-RateLimit-Category", category);
  c.header("X-RateLimit-Type", "QPS");
  c.header("X-RateLimit-Limit", String(limit));
  c.header("X-RateLimit-Remaining", "0");
  c.header("X-RateLimit-Reset", String(Math.floor(Date.now() / 1000) + 1));
  return c.json({ code: 429, message: QPS_MESSAGE }, 429);
}
export function dailyLimited(c: Context, category: string, limit: number) {
  c.header("X-RateLimit-Category", category);
  c.header("X-RateLimit-Type", "Daily-limit");
  c.header("X-RateLimit-Limit", String(limit));
  c.header("X-RateLimit-Remaining", "0");
  c.header(
    "Retry-After",
    midnightUtc()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
  );
  return c.json({ code: 429, message: DAILY_MESSAGE }, 429);
}

/** Spoils the next answers of a target as its queued fault says. */
export const injectZoomFaults = (target: FaultTarget) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const fault = await consumeFault(zoomDb(c.env), target);
    if (!fault) return next();
    switch (fault.kind) {
      case "5xx":
        return target === "token"
          ? c.json({ reason: "Internal Error", error: "server_error" }, 500)
          : c.json({ code: 500, message: "Internal Server Error" }, 500);
      case "429_qps":
        return qpsLimited(c, "Light", 30);
      case "429_daily":
        return dailyLimited(c, "Heavy", 30_000);
      case "timeout":
        await sleep(fault.delayMs ?? DEFAULT_DELAY_MS);
        return next();
      case "lost_reply":
        await next(); // the effect happens...
        await sleep(fault.delayMs ?? DEFAULT_DELAY_MS);
        // ...and the answer never arrives: what a client sees when its connection dies.
        c.res = new Response("upstream request timeout", { status: 504 });
        return;
    }
  });
