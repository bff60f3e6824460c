/**
 * Zoom's error answers → typed AppErrors. Zoom's body is always `{code, message}` with a localized
 * message that embeds ids, so only the HTTP status and the numeric `code` are read (contract §2).
 * The status table is the shared one (../upstream/errors.ts); the Zoom code rides along in
 * `details.zoomCode` (details survive the CoachGuard boundary) so callers can branch on it, e.g.
 * 404 `3001` "meeting does not exist" or 400 `200` "only available for paid account".
 */
import { AppError } from "../lib/errors";
import { upstreamHttpError } from "../upstream/errors";

/** The numeric Zoom code of an error body, or null. */
export function zoomCodeOf(body: string): number | null {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === "number" ? code : null;
  } catch {
    return null;
  }
}

/** Zoom's "Only available for paid account" (400 `200`): a plan limit, a known state. */
export const ZOOM_PAID_ONLY = 200;
/** 401 `4700`: the grant lacks a scope; only reconnecting fixes it. */
export const ZOOM_SCOPES_MISSING = 4700;
/** 401 `124`: the access token is invalid or expired; refresh once and retry once. */
export const ZOOM_INVALID_TOKEN = 124;
/** 404 `3001`: the meeting (or instance) does not exist. */
export const ZOOM_MEETING_NOT_FOUND = 3001;

export function zoomHttpError(status: number, body: string, what: string): AppError {
  const zoomCode = zoomCodeOf(body);
  const base = upstreamHttpError("zoom", status, body, what);
  const details = { ...(base.details as object), zoomCode };
  if (status === 400 && zoomCode === ZOOM_PAID_ONLY) {
    return new AppError("forbidden", "Your Zoom plan does not include this.", {
      internal: base.internal,
      details: { ...details, reason: "plan" },
    });
  }
  return new AppError(base.code, base.message, { internal: base.internal, details });
}

/** The Zoom code an AppError carries (after crossing the guard), or null. */
export function zoomCodeIn(err: unknown): number | null {
  if (!(err instanceof AppError)) return null;
  const code = (err.details as { zoomCode?: unknown } | undefined)?.zoomCode;
  return typeof code === "number" ? code : null;
}
