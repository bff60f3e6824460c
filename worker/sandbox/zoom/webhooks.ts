/**
 * Fake Zoom webhook sender: signs `v0:<ts>:<body>` with the Secret Token, posts to Kairos's
 * /webhooks/zoom, records attempts, and retries failures on Zoom's schedule (+5, +20, +60 min,
 * compressed to minutes here) before dropping them. Modes: duplicate, lost, out of order; a single
 * emission can also lose chosen events (e.g. `meeting.ended`) or all of them, and the control can
 * run every pending retry at once.
 */
import { and, eq, lte } from "drizzle-orm";
import { hmacSha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { szDeliveries } from "../db/zoom-schema";
import { zoomDb, zoomSettings, zoomSignatureHeaders } from "./store";

const RETRY_DELAYS_MS = [5, 20, 60].map((m) => m * 60_000);
export type ZoomEnvelope = { event: string; event_ts: number; payload: Record<string, unknown> };

export async function sendToKairos(env: Env, body: string) {
  try {
    const res = await fetch(`${env.APP_URL}/webhooks/zoom`, {
      method: "POST",
      redirect: "manual",
      headers: await zoomSignatureHeaders(env.ZOOM_WEBHOOK_SECRET_TOKEN, body),
      body,
      signal: AbortSignal.timeout(3_000), // Zoom's own limit
    });
    return { status: res.status, body: (await res.text()).slice(0, 2000) };
  } catch (err) {
    log.warn("sandbox.zoom_delivery_failed", { err });
    return { status: 0, body: String(err) };
  }
}

export async function deliverRow(env: Env, row: typeof szDeliveries.$inferSelect) {
  const result = await sendToKairos(env, row.body);
  const ok = result.status === 200 || result.status === 204;
  const attempts = row.attempts + 1;
  const delay = RETRY_DELAYS_MS[attempts - 1];
  await zoomDb(env)
    .update(szDeliveries)
    .set({
      attempts,
      lastStatus: result.status,
      status: ok ? "delivered" : delay === undefined ? "dropped" : "failed",
      nextAttemptAt: ok || delay === undefined ? null : Date.now() + delay,
    })
    .where(eq(szDeliveries.id, row.id));
  return result;
}

/** Events this emission loses on purpose: a list of event names, or "all". */
export type Drop = readonly string[] | "all";

/** Records and sends events in order (or per the configured failure mode); `drop` loses some. */
export async function emitZoom(env: Env, events: ZoomEnvelope[], drop: Drop = []) {
  const db = zoomDb(env);
  const { webhookMode } = await zoomSettings(db);
  const ordered = webhookMode === "out_of_order" ? [...events].reverse() : events;
  const lost = (e: ZoomEnvelope) =>
    webhookMode === "lost" || drop === "all" || drop.includes(e.event);
  for (const event of ordered) {
    for (let i = 0; i < (webhookMode === "duplicate" ? 2 : 1); i++) {
      const row = {
        id: newId("zdl"),
        event: event.event,
        body: JSON.stringify(event),
        status: (lost(event) ? "lost" : "pending") as "lost" | "pending",
        attempts: 0,
        lastStatus: null,
        nextAttemptAt: null,
        createdAt: Date.now(),
      };
      await db.insert(szDeliveries).values(row);
      if (row.status === "pending") await deliverRow(env, row);
    }
  }
}

/** Sends the failed deliveries whose retry is due (`now: true`: every pending retry, at once). */
export async function retryZoomDeliveries(env: Env, opts: { now?: boolean } = {}) {
  const db = zoomDb(env);
  const failed = eq(szDeliveries.status, "failed");
  const due = await db
    .select()
    .from(szDeliveries)
    .where(opts.now ? failed : and(failed, lte(szDeliveries.nextAttemptAt, Date.now())))
    .orderBy(szDeliveries.createdAt)
    .limit(50);
  const results = [];
  for (const row of due)
    results.push({ id: row.id, event: row.event, ...(await deliverRow(env, row)) });
  return results;
}

/** The endpoint.url_validation handshake: did Kairos answer with the right encryptedToken? */
export async function validateEndpoint(env: Env) {
  const plainToken = crypto.randomUUID();
  const body = JSON.stringify({
    payload: { plainToken },
    event_ts: Date.now(),
    event: "endpoint.url_validation",
  });
  const result = await sendToKairos(env, body);
  const expected = await hmacSha256Hex(env.ZOOM_WEBHOOK_SECRET_TOKEN, plainToken);
  const answer = (() => {
    try {
      return JSON.parse(result.body) as { plainToken?: string; encryptedToken?: string };
    } catch {
      return {};
    }
  })();
  return {
    status: result.status,
    valid: answer.plainToken === plainToken && answer.encryptedToken === expected,
  };
}
