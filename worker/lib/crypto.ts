/**
 * WebCrypto helpers: HMAC (signing and constant-time verification), SHA-256, and AES-256-GCM with
 * versioned keys. Ciphertext is "<version>.<iv>.<data>" (base64url) so old keys keep decrypting after
 * a rotation; the caller's AAD binds a ciphertext to where it belongs (coach, provider, field).
 */
import { AppError } from "./errors";
import { toBase64Url } from "./ids";

const encoder = new TextEncoder();

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function toHex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/** Import once and keep the CryptoKey where a key verifies many messages (webhook intake). */
export const importHmacKey = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);

const hmacKey = (secret: string | CryptoKey) =>
  typeof secret === "string" ? importHmacKey(secret) : Promise.resolve(secret);

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message)));
}

/** Constant-time: WebCrypto's verify compares the MAC, not our code. */
export async function verifyHmacSha256Hex(
  secret: string | CryptoKey,
  message: string,
  signatureHex: string,
): Promise<boolean> {
  const signature = fromHex(signatureHex);
  if (!signature) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(secret), signature, encoder.encode(message));
}

export async function sha256Base64Url(message: string): Promise<string> {
  return toBase64Url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(message))),
  );
}

function decodeKey(material: string | undefined): Uint8Array<ArrayBuffer> {
  try {
    return material ? fromBase64(material) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}

type VersionedKey = { version: string; key: CryptoKey };

export type TokenCipher = {
  encrypt(plaintext: string, aad: string): Promise<string>;
  decrypt(ciphertext: string, aad: string): Promise<string>;
  /** True when the ciphertext was made with an older key and should be re-encrypted. */
  isStale(ciphertext: string): boolean;
};

/** `spec` is ENCRYPTION_KEYS: "v2:<base64 32 bytes>,v1:<…>", newest first. */
export async function createTokenCipher(spec: string): Promise<TokenCipher> {
  const keys: VersionedKey[] = await Promise.all(
    spec
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map(async (entry) => {
        const [version, material] = entry.split(":");
        const raw = decodeKey(material);
        if (!version || raw.byteLength !== 32) {
          throw new Error("ENCRYPTION_KEYS entries must look like v1:<base64 of 32 bytes>");
        }
        const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, [
          "encrypt",
          "decrypt",
        ]);
        return { version, key };
      }),
  );
  const newest = keys[0];
  if (!newest) throw new Error("ENCRYPTION_KEYS is empty");
  const byVersion = new Map(keys.map((k) => [k.version, k.key]));
  const additionalData = (aad: string, version: string) => encoder.encode(`${aad}|${version}`);

  return {
    async encrypt(plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: additionalData(aad, newest.version) },
        newest.key,
        encoder.encode(plaintext),
      );
      return `${newest.version}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(data))}`;
    },
    async decrypt(ciphertext, aad) {
      const [version = "", iv = "", data = ""] = ciphertext.split(".");
      const key = byVersion.get(version);
      // Hopeless until an operator restores the key: a typed error, so no job retries it.
      if (!key) {
        throw new AppError("misconfigured", "Kairos cannot read a stored secret right now.", {
          internal: { reason: "unknown_key_version", keyVersion: version.slice(0, 16) },
          details: { reason: "unknown_key_version" },
        });
      }
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(iv), additionalData: additionalData(aad, version) },
        key,
        fromBase64(data),
      );
      return new TextDecoder().decode(plain);
    },
    isStale: (ciphertext) => !ciphertext.startsWith(`${newest.version}.`),
  };
}
