/**
 * Calendly webhook signatures (`Calendly-Webhook-Signature: t=<unix s>,v1=<hex>[,v1=…]`), checked on
 * the raw body: HMAC-SHA256(key, t + "." + body), constant-time, 3-minute tolerance both ways.
 */
import { verifyHmacSha256Hex } from "../lib/crypto";

export const SIGNATURE_TOLERANCE_S = 180;

/** On success, `keyIndex` says which of the given keys signed it. */
export type SignatureCheck =
  | { ok: true; keyIndex: number }
  | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export function parseSignatureHeader(header: string) {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d+$/.test(value)) t = Number(value);
    else if (key === "v1" && value) v1.push(value.toLowerCase());
  }
  return t !== undefined && v1.length > 0 ? { t, v1 } : null;
}

export async function verifyCalendlySignature(input: {
  header: string | undefined | null;
  rawBody: string;
  /** Secrets, or HMAC keys already imported (the intake caches them per isolate). */
  keys: (string | CryptoKey)[];
  nowMs?: number;
}): Promise<SignatureCheck> {
  if (!input.header) return { ok: false, reason: "missing" };
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return { ok: false, reason: "malformed" };
  const nowS = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowS - parsed.t) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: "stale" };
  const message = `${parsed.t}.${input.rawBody}`;
  for (const [keyIndex, key] of input.keys.entries()) {
    for (const candidate of parsed.v1) {
      if (await verifyHmacSha256Hex(key, message, candidate)) return { ok: true, keyIndex };
    }
  }
  return { ok: false, reason: "mismatch" };
}
