/**
 * What verifying a Calendly delivery needs, cached per isolate so the intake's warm path costs no
 * D1 read, no AES decryption and no HMAC key import: the subscription's coach and its imported
 * keys — the app-wide key first (Calendly signs OAuth-app subscriptions with it), then the
 * per-subscription key Kairos generated (honoured for personal-access-token subscriptions).
 *
 * Staleness is bounded by the TTL and harmless: a subscription id names one key for its whole life
 * (a recreated subscription gets a new id), and the consumer resolves the subscription again before
 * it stores anything. Unknown ids are cached too (as null), so probing them cannot hammer D1.
 */
import { openSigningKey } from "../auth/token-vault";
import type { Database } from "../db/client";
import { findSubscription } from "../db/webhook-subscriptions";
import { importHmacKey } from "../lib/crypto";
import { ttlCache } from "../lib/ttl-cache";

export type VerificationKey = { kind: "subscription_key" | "app_key"; key: CryptoKey };
/** `coachId` null: no such subscription; its keys are then the app-wide ones only. */
export type SubscriptionVerifier = { coachId: string | null; keys: VerificationKey[] };

const subscriptions = ttlCache<{ coachId: string; key: CryptoKey | null } | null>({
  max: 1_000,
  ttlMs: 60_000,
});
const appKeys = ttlCache<CryptoKey>({ max: 4, ttlMs: 10 * 60_000 });

export async function subscriptionVerifier(
  env: Pick<Env, "ENCRYPTION_KEYS" | "CALENDLY_WEBHOOK_SIGNING_KEY">,
  db: Database,
  subscriptionId: string,
): Promise<SubscriptionVerifier> {
  const sub = await subscriptions.get(subscriptionId, async () => {
    const row = await findSubscription(db, subscriptionId);
    if (!row || row.provider !== "calendly") return null;
    const secret = row.signingKeyEnc ? await openSigningKey(env.ENCRYPTION_KEYS, row) : "";
    return { coachId: row.coachId, key: secret ? await importHmacKey(secret) : null };
  });
  // "new,old" while the app's key is being rotated: deliveries signed with either are accepted.
  const appSecrets = (env.CALENDLY_WEBHOOK_SIGNING_KEY ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const keys: VerificationKey[] = [];
  for (const secret of appSecrets) {
    keys.push({ kind: "app_key", key: await appKeys.get(secret, () => importHmacKey(secret)) });
  }
  if (sub?.key) keys.push({ kind: "subscription_key", key: sub.key });
  return { coachId: sub?.coachId ?? null, keys };
}
