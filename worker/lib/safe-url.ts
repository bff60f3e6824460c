/**
 * Links that come from outside data (Calendly's join, scheduling, reschedule and cancel URLs; the
 * Zoom join URL inside a Calendly location) end up as `href`s in the dashboard and the booking
 * pages. Only `https:` is a link; `http:` only for hosts that cannot be on the internet (the
 * sandbox's localhost / *.test, see config-guard.ts). Anything else (`javascript:`, `data:`,
 * relative junk) is dropped where it is parsed, so it is never stored nor shown. The web app keeps
 * its own copy of this rule (web/src/safe-href.ts) for what it renders.
 */
import { z } from "zod";
import { isLocalHostname } from "../config-guard";

const MAX_URL = 2_048;

/** The link itself when it is safe to store and render, otherwise null. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:" && isLocalHostname(url.hostname)) return value;
  return null;
}

/** A nullish link field of an outside payload: unsafe values parse as null (never a failure). */
export const SafeLink = z
  .string()
  .nullish()
  .transform((v) => (v == null ? v : safeUrl(v)));

/**
 * A link field the rest of Kairos treats as always present (an event type's scheduling_url): an
 * unsafe value becomes "" (no link) rather than failing the whole page of event types.
 */
export const RequiredSafeLink = z.string().transform((v) => safeUrl(v) ?? "");
