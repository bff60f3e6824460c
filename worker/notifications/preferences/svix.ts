/**
 * Svix / Standard Webhooks signatures (Resend's webhooks): `svix-signature` holds space-separated
 * "v1,<base64>" entries (several while a secret rotates); each is base64(HMAC-SHA256(key,
 * "<svix-id>.<svix-timestamp>.<raw body>")) with key = base64-decoded secret after "whsec_". Valid
 * when any v1 entry matches (constant time) and the timestamp is within 5 minutes of now.
 */
import { constantTimeEqual } from "./tokens";

export const SVIX_TOLERANCE_S = 300;

function decodeSecret(secret: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(secret.startsWith("whsec_") ? secret.slice(6) : secret);
    return bin.length ? Uint8Array.from(bin, (ch) => ch.charCodeAt(0)) : null;
  } catch {
    return null;
  }
}

export async function svixSignature(secret: string, id: string, timestamp: string, body: string) {
  const key = decodeSecret(secret);
  if (!key) return null;
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    key,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    cryptoKey,
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  );
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

export async function verifySvix(
  secret: string | undefined,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
  nowMs = Date.now(),
): Promise<boolean> {
  const { id = "", timestamp = "", signature = "" } = headers;
  if (!secret || !id || id.length > 200 || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SVIX_TOLERANCE_S) return false;
  const expected = await svixSignature(secret, id, timestamp, body);
  if (!expected) return false;
  return signature
    .split(" ")
    .slice(0, 10)
    .some((entry) => {
      const [version, sig = ""] = entry.split(",", 2);
      return version === "v1" && constantTimeEqual(sig, expected);
    });
}
