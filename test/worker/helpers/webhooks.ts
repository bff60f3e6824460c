/** Builds signed Calendly webhook deliveries for tests, the way Calendly signs them. */
import { env, exports } from "cloudflare:workers";
import { sealSigningKey } from "../../../worker/auth/token-vault";

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
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, 'C', 'c@coach.test', 'UTC', 'c')",
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
  overrides: { uri?: string; updatedAt?: string; event?: string } = {},
) {
  return {
    event: overrides.event ?? "invitee.created",
    created_at: "2026-12-01T10:00:00.000000Z",
    created_by: "https://api.calendly.test/users/u1",
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
