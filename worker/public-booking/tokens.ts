/**
 * Signed tokens of the public booking flow (HMAC-SHA256 with SESSION_SECRET, domain-separated):
 * - form token: when the booking form was served, so a submit faster than a person can type is
 *   refused (a bot defence next to the honeypot and Turnstile);
 * - manage token: the client's link to see, cancel or reschedule one booking; it expires.
 */
import { hmacSha256Hex, verifyHmacSha256Hex } from "../lib/crypto";

export const MIN_FILL_MS = 3_000;
const FORM_MAX_AGE_MS = 2 * 3_600_000;

export async function issueFormToken(secret: string, now = Date.now()) {
  return `${now}.${await hmacSha256Hex(secret, `form|${now}`)}`;
}

/** "ok", or why the form token is refused. */
export async function checkFormToken(
  secret: string,
  token: string,
  now = Date.now(),
): Promise<"ok" | "invalid" | "too_fast" | "expired"> {
  const [issued = "", mac = ""] = token.split(".");
  if (!/^\d+$/.test(issued) || !(await verifyHmacSha256Hex(secret, `form|${issued}`, mac))) {
    return "invalid";
  }
  const age = now - Number(issued);
  if (age < MIN_FILL_MS) return "too_fast";
  if (age > FORM_MAX_AGE_MS) return "expired";
  return "ok";
}

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
