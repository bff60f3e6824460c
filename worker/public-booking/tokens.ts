/**
 * Signed tokens of the public booking flow (HMAC-SHA256 with SESSION_SECRET, domain-separated):
 * - form token: when the booking form was served (and a nonce), so a submit faster than a person can
 *   type is refused (a bot defence next to the honeypot and Turnstile). It books once: see
 *   spend-form-token.ts;
 * - manage token: the client's link to see, cancel or reschedule one booking; it expires.
 */
import { hmacSha256Hex, verifyHmacSha256Hex } from "../lib/crypto";
import { randomToken } from "../lib/ids";

export const MIN_FILL_MS = 3_000;
export const FORM_MAX_AGE_MS = 2 * 3_600_000;

export async function issueFormToken(secret: string, now = Date.now()) {
  const nonce = randomToken(12);
  return `${now}.${nonce}.${await hmacSha256Hex(secret, `form|${now}|${nonce}`)}`;
}

/** "ok", or why the form token is refused. */
export async function checkFormToken(
  secret: string,
  token: string,
  now = Date.now(),
): Promise<"ok" | "invalid" | "too_fast" | "expired"> {
  const [issued = "", nonce = "", mac = ""] = token.split(".");
  if (
    !/^\d+$/.test(issued) ||
    !/^[\w-]{16}$/.test(nonce) ||
    !(await verifyHmacSha256Hex(secret, `form|${issued}|${nonce}`, mac))
  ) {
    return "invalid";
  }
  const age = now - Number(issued);
  if (age < MIN_FILL_MS) return "too_fast";
  if (age > FORM_MAX_AGE_MS) return "expired";
  return "ok";
}

/** The nonce part of a form token: what spend-form-token.ts claims once. */
export const formTokenNonce = (token: string) => token.split(".")[1] ?? "";

export async function issueManageToken(secret: string, bookingId: string, expiresAt: number) {
  const body = `${bookingId}.${Math.floor(expiresAt / 1000)}`;
  return `${body}.${await hmacSha256Hex(secret, `manage|${body}`)}`;
}

/** The booking id a manage token names, or null when it is forged or expired. */
export async function readManageToken(secret: string, token: string, now = Date.now()) {
  const [id = "", exp = "", mac = ""] = token.split(".");
  if (!id || !/^\d+$/.test(exp)) return null;
  if (!(await verifyHmacSha256Hex(secret, `manage|${id}.${exp}`, mac))) return null;
  return Number(exp) * 1000 > now ? id : null;
}
