/**
 * Provider connections (Calendly, Zoom). Token columns hold ciphertext only; encryption lives in
 * worker/auth/token-vault.ts. Every function is scoped to one coach.
 */
import { and, eq } from "drizzle-orm";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import { type ConnectionStatus, type Provider, providerConnections } from "./schema";

export type EncryptedTokens = {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  accessExpiresAt: Date;
  scopes: string;
};

export async function saveConnection(
  { db, coachId }: CoachScope,
  provider: Provider,
  externalUserId: string,
  tokens: EncryptedTokens,
) {
  const now = new Date();
  const fields = {
    ...tokens,
    externalUserId,
    status: "connected" as const,
    lastRefreshedAt: now,
    lastError: null,
    updatedAt: now,
  };
  await db
    .insert(providerConnections)
    .values({ id: newId("con"), coachId, provider, ...fields })
    .onConflictDoUpdate({
      target: [providerConnections.coachId, providerConnections.provider],
      set: fields,
    });
}

export function getConnection({ db, coachId }: CoachScope, provider: Provider) {
  return db.query.providerConnections.findFirst({
    where: and(
      eq(providerConnections.coachId, coachId),
      eq(providerConnections.provider, provider),
    ),
  });
}

export function listConnections({ db, coachId }: CoachScope) {
  return db
    .select({
      provider: providerConnections.provider,
      status: providerConnections.status,
      scopes: providerConnections.scopes,
      accessExpiresAt: providerConnections.accessExpiresAt,
      lastRefreshedAt: providerConnections.lastRefreshedAt,
      lastError: providerConnections.lastError,
      webhookAvailability: providerConnections.webhookAvailability,
      planType: providerConnections.planType,
    })
    .from(providerConnections)
    .where(eq(providerConnections.coachId, coachId));
}

export async function setConnectionStatus(
  { db, coachId }: CoachScope,
  provider: Provider,
  status: ConnectionStatus,
  lastError: string | null,
) {
  await db
    .update(providerConnections)
    .set({ status, lastError, updatedAt: new Date() })
    .where(
      and(eq(providerConnections.coachId, coachId), eq(providerConnections.provider, provider)),
    );
}

type TokenCiphertexts = { accessTokenEnc: string; refreshTokenEnc: string };

/**
 * Replaces token ciphertexts only (a key rotation): status, expiry and history stay as they are.
 * Writes only over the ciphertexts the caller read, so a pair saved meanwhile is never lost.
 */
export async function replaceTokenCiphertexts(
  { db, coachId }: CoachScope,
  provider: Provider,
  read: TokenCiphertexts,
  enc: TokenCiphertexts,
): Promise<boolean> {
  const rows = await db
    .update(providerConnections)
    .set({ ...enc, updatedAt: new Date() })
    .where(
      and(
        eq(providerConnections.coachId, coachId),
        eq(providerConnections.provider, provider),
        eq(providerConnections.accessTokenEnc, read.accessTokenEnc),
        eq(providerConnections.refreshTokenEnc, read.refreshTokenEnc),
      ),
    )
    .returning({ id: providerConnections.id });
  return rows.length > 0;
}
