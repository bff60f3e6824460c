/**
 * Encrypts and decrypts provider tokens. The AAD binds each ciphertext to its coach, provider and
 * field, so a ciphertext copied into another row or column fails to decrypt.
 */
import type { TokenResponse } from "../calendly/schemas";
import type { EncryptedTokens } from "../db/connections";
import type { Provider } from "../db/schema";
import { createTokenCipher, type TokenCipher } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";

type Field = "access_token" | "refresh_token" | "webhook_signing_key";
const aad = (coachId: string, provider: Provider, field: Field) =>
  `${coachId}|${provider}|${field}`;

let cached: { spec: string; cipher: Promise<TokenCipher> } | undefined;
function cipherFor(spec: string) {
  if (cached?.spec !== spec) cached = { spec, cipher: createTokenCipher(spec) };
  return cached.cipher;
}

export async function sealTokens(
  keys: string,
  coachId: string,
  provider: Provider,
  tokens: Pick<TokenResponse, "access_token" | "refresh_token" | "expires_in" | "scope">,
  now = Date.now(),
): Promise<EncryptedTokens> {
  const cipher = await cipherFor(keys);
  return {
    accessTokenEnc: await cipher.encrypt(
      tokens.access_token,
      aad(coachId, provider, "access_token"),
    ),
    refreshTokenEnc: await cipher.encrypt(
      tokens.refresh_token,
      aad(coachId, provider, "refresh_token"),
    ),
    accessExpiresAt: new Date(now + tokens.expires_in * 1000),
    scopes: tokens.scope ?? "",
  };
}

export async function openToken(
  keys: string,
  coachId: string,
  provider: Provider,
  field: Field,
  ciphertext: string,
): Promise<string> {
  try {
    return await (await cipherFor(keys)).decrypt(ciphertext, aad(coachId, provider, field));
  } catch (err) {
    // A key removed from ENCRYPTION_KEYS too early: an operator alert (the error says which version).
    if (err instanceof AppError && err.code === "misconfigured") {
      log.error("keys.unknown_version", { coachId, provider, field, internal: err.internal });
    }
    throw err;
  }
}

export async function sealSigningKey(
  keys: string,
  coachId: string,
  provider: Provider,
  key: string,
) {
  return (await cipherFor(keys)).encrypt(key, aad(coachId, provider, "webhook_signing_key"));
}

export async function openSigningKey(
  keys: string,
  sub: { coachId: string; provider: Provider; signingKeyEnc: string | null },
): Promise<string> {
  if (!sub.signingKeyEnc) return "";
  return openToken(keys, sub.coachId, sub.provider, "webhook_signing_key", sub.signingKeyEnc);
}

/** True when a ciphertext was made with an older key than the newest in ENCRYPTION_KEYS. */
export async function isStaleCiphertext(keys: string, ciphertext: string | null) {
  return ciphertext !== null && (await cipherFor(keys)).isStale(ciphertext);
}

/** Re-encrypts a value made with an older key (same AAD); returns a current one unchanged. */
export async function reseal(
  keys: string,
  coachId: string,
  provider: Provider,
  field: Field,
  ciphertext: string,
) {
  const cipher = await cipherFor(keys);
  if (!cipher.isStale(ciphertext)) return ciphertext;
  const where = aad(coachId, provider, field);
  return cipher.encrypt(await cipher.decrypt(ciphertext, where), where);
}
