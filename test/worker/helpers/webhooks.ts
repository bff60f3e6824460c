/**
 * Builds signed Calendly webhook deliveries for tests, the way Calendly signs them, and the tools to
 * watch the queue-first intake: a recording queue, a D1 that counts statements, and a wait for the
 * (real) webhook-events consumer to have stored and settled a delivery.
 */
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { vi } from "vitest";
import { sealSigningKey } from "../../../worker/auth/token-vault";
import worker from "../../../worker/index";

export const APP_SIGNING_KEY = "kairos_sandbox_calendly_signing_key";

async function hmacHex(key: string, message: string) {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signatureHeader(
  key: string,
  body: string,
  t = Math.floor(Date.now() / 1000),
) {
  return `t=${t},v1=${await hmacHex(key, `${t}.${body}`)}`;
}

/** A coach with a Calendly webhook subscription (optionally with its own signing key). */
export async function seedSubscription(id: string, signingKey?: string) {
  const coachId = `coa_${id}`;
  await env.DB.prepare(
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, 'C', 'c@coach.test', 'UTC', ?1)",
  )
    .bind(coachId, `https://api.calendly.test/users/${id}`)
    .run();
  const enc = signingKey
    ? await sealSigningKey(env.ENCRYPTION_KEYS, coachId, "calendly", signingKey)
    : null;
  await env.DB.prepare(
    "insert into webhook_subscriptions (id, coach_id, provider, uri, callback_url, events, state, signing_key_enc) values (?, ?, 'calendly', ?, ?, '[]', 'active', ?)",
  )
    .bind(
      `whs_${id}`,
      coachId,
      `https://api.calendly.test/webhook_subscriptions/${id}`,
      `http://kairos.test/webhooks/calendly/whs_${id}`,
      enc,
    )
    .run();
  return { coachId, subscriptionId: `whs_${id}` };
}

export function inviteeEnvelope(
  overrides: { uri?: string; updatedAt?: string; event?: string; createdBy?: string } = {},
) {
  return {
    event: overrides.event ?? "invitee.created",
    created_at: "2026-12-01T10:00:00.000000Z",
    created_by: overrides.createdBy ?? "https://api.calendly.test/users/u1",
    payload: {
      uri: overrides.uri ?? "https://api.calendly.test/scheduled_events/ev1/invitees/inv1",
      email: "sam@client.test",
      name: "Sam Client",
      status: "active",
      updated_at: overrides.updatedAt ?? "2026-12-01T10:00:00.000000Z",
      scheduled_event: { uri: "https://api.calendly.test/scheduled_events/ev1" },
    },
  };
}

export const deliver = (subscriptionId: string, body: string, headers: Record<string, string>) =>
  exports.default.fetch(`http://kairos.test/webhooks/calendly/${subscriptionId}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

/** A complete `invitee.created` for the coach seeded as `seedSubscription(id)`: it applies cleanly. */
export function bookingEnvelope(id: string, n: number) {
  const event = `https://api.calendly.test/scheduled_events/${id}-ev${n}`;
  return {
    event: "invitee.created",
    created_at: "2026-12-01T10:00:00.000000Z",
    created_by: `https://api.calendly.test/users/${id}`,
    payload: {
      uri: `${event}/invitees/${id}-inv${n}`,
      email: "sam@client.test",
      name: "Sam Client",
      status: "active",
      updated_at: "2026-12-01T10:00:00.000000Z",
      scheduled_event: {
        uri: event,
        name: "Intro Call",
        status: "active",
        start_time: "2026-12-10T15:00:00.000000Z",
        end_time: "2026-12-10T15:30:00.000000Z",
        location: { type: "zoom_conference", join_url: "https://zoom.test/j/1" },
      },
    },
  };
}

export async function signedDelivery(key: string, envelope: unknown) {
  const raw = JSON.stringify(envelope);
  return { raw, headers: { "calendly-webhook-signature": await signatureHeader(key, raw) } };
}

/** The app with other bindings (a failing queue, a counting D1), called the way workerd calls it. */
export const deliverWith = (
  bindings: Env,
  subscriptionId: string,
  body: string,
  headers: Record<string, string>,
) =>
  worker.fetch(
    new Request(`http://kairos.test/webhooks/calendly/${subscriptionId}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    }),
    bindings,
    createExecutionContext(),
  );

/** A queue that records what is sent (or refuses every send), in place of WEBHOOK_EVENTS. */
export function recordingQueue(opts: { fail?: boolean } = {}) {
  const sent: unknown[] = [];
  const queue = {
    async send(body: unknown) {
      if (opts.fail) throw new Error("Queue send failed: simulated outage");
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: unknown }>) {
      if (opts.fail) throw new Error("Queue send failed: simulated outage");
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue;
  return { queue, sent };
}

/** env.DB behind a counter of prepared statements (what a route costs in D1). */
export function countingDb() {
  const counter = { statements: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "prepare" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (sql: string) => {
        counter.statements++;
        return value.call(target, sql);
      };
    },
  });
  return { db, counter };
}

export type StoredRow = { id: string; status: string; dedupe_key: string; coach_id: string | null };

/** The webhook_events rows matching `where`, once the real consumer has settled them. */
export async function settledRows(where: string, binds: unknown[], count = 1) {
  return vi.waitFor(
    async () => {
      const rows = (
        await env.DB.prepare(
          `select id, status, dedupe_key, coach_id from webhook_events where ${where}`,
        )
          .bind(...binds)
          .all<StoredRow>()
      ).results;
      if (rows.length < count || rows.some((r) => r.status === "received"))
        throw new Error(`waiting for ${count} settled rows, have ${JSON.stringify(rows)}`);
      return rows;
    },
    { timeout: 10_000, interval: 50 },
  );
}
