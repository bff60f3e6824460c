/** Webhook subscriptions Kairos created at a provider, one row per callback URL. */
import { and, eq, isNotNull } from "drizzle-orm";
import type { CoachScope } from "../env";
import type { Database } from "./client";
import { coaches, type Provider, webhookSubscriptions } from "./schema";

/** Unscoped on purpose: an incoming webhook names its subscription, which names the coach. */
export function findSubscription(db: Database, id: string) {
  return db.query.webhookSubscriptions.findFirst({ where: eq(webhookSubscriptions.id, id) });
}

/** The coach a Calendly subscription delivers for, and that coach's Calendly user (its creator). */
export async function findSubscriptionOwner(db: Database, id: string) {
  const [owner] = await db
    .select({ coachId: webhookSubscriptions.coachId, calendlyUserUri: coaches.calendlyUserUri })
    .from(webhookSubscriptions)
    .innerJoin(coaches, eq(coaches.id, webhookSubscriptions.coachId))
    .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.provider, "calendly")));
  return owner ?? null;
}

/**
 * Key rotation: re-encrypts the coach's signing keys whose ciphertext `reseal` changes (it returns
 * the input unchanged when the key is already the newest). Returns how many rows changed.
 */
export async function rekeySigningKeys(
  { db, coachId }: CoachScope,
  reseal: (sub: { provider: Provider; enc: string }) => Promise<string>,
): Promise<number> {
  const subs = await db
    .select({
      id: webhookSubscriptions.id,
      provider: webhookSubscriptions.provider,
      enc: webhookSubscriptions.signingKeyEnc,
    })
    .from(webhookSubscriptions)
    .where(
      and(eq(webhookSubscriptions.coachId, coachId), isNotNull(webhookSubscriptions.signingKeyEnc)),
    );
  let changed = 0;
  for (const sub of subs) {
    if (!sub.enc) continue;
    const next = await reseal({ provider: sub.provider, enc: sub.enc });
    if (next === sub.enc) continue;
    await db
      .update(webhookSubscriptions)
      .set({ signingKeyEnc: next, updatedAt: new Date() })
      .where(eq(webhookSubscriptions.id, sub.id));
    changed++;
  }
  return changed;
}
