/**
 * Twilio's webhook signature (X-Twilio-Signature): base64(HMAC-SHA1(auth token, the full public URL
 * as configured — scheme, host, path, query — followed by every POST parameter's name and value,
 * sorted by name)). Compared in constant time.
 */
import { constantTimeEqual } from "./tokens";

export async function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
) {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join("");
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(authToken),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

export async function verifyTwilioSignature(
  authToken: string | undefined,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
) {
  if (!authToken || !signature || signature.length > 100) return false;
  return constantTimeEqual(await twilioSignature(authToken, url, params), signature);
}
