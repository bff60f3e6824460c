/**
 * Unsubscribe tokens: they alone authorise an unsubscribe (RFC 8058: no login, no cookies), so they
 * are signed — HMAC-SHA256 with SESSION_SECRET, domain-separated ("unsub|"). A token names one
 * preference row (coach + client address, see ./store.ts) and one category; it carries no address,
 * so the URL leaks none. Lowercase hex only: a mailto local part may be case-folded on the way.
 * Rotating SESSION_SECRET voids older links (the next message carries a new one).
 */
import { hmacSha256Hex } from "../../lib/crypto";

export const UNSUBSCRIBE_CATEGORIES = ["reminders", "follow_ups"] as const;
export type UnsubscribeCategory = (typeof UNSUBSCRIBE_CATEGORIES)[number];

const CATEGORY_CODE: Record<UnsubscribeCategory, string> = { reminders: "r", follow_ups: "f" };
const CODE_CATEGORY: Record<string, UnsubscribeCategory> = { r: "reminders", f: "follow_ups" };

/** 96 bits of MAC: plenty for a link, and the whole token fits a mailto local part (≤ 64). */
const MAC_HEX = 24;
const TOKEN = /^(np[0-9a-f]{20})\.([rf])\.([0-9a-f]{24})$/;
export const MAX_TOKEN_LENGTH = 64;

const mac = async (secret: string, body: string) =>
  (await hmacSha256Hex(secret, `unsub|${body}`)).slice(0, MAC_HEX);

export async function issueUnsubscribeToken(
  secret: string,
  preferenceId: string,
  category: UnsubscribeCategory,
) {
  const body = `${preferenceId}.${CATEGORY_CODE[category]}`;
  return `${body}.${await mac(secret, body)}`;
}

/** The preference row and category a token names, or null when it is malformed or forged. */
export async function readUnsubscribeToken(secret: string, token: string) {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const m = TOKEN.exec(token);
  if (!m) return null;
  const [, preferenceId = "", code = "", given = ""] = m;
  const expected = await mac(secret, `${preferenceId}.${code}`);
  if (!constantTimeEqual(expected, given)) return null;
  const category = CODE_CATEGORY[code];
  return category ? { preferenceId, category } : null;
}

export function constantTimeEqual(a: string, b: string) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A new preference row id: "np" + 20 lowercase hex (80 random bits). */
export function newPreferenceId() {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `np${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
