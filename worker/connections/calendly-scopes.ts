/**
 * Whether a Calendly grant lets Kairos do its job. A coach can untick permissions on Calendly's
 * consent screen, and since 2026-03-03 a token can do nothing it was not granted, so Kairos checks
 * the granted `scope` at sign-in and reads Calendly's 403 "Insufficient scope" at call time. Either
 * way the connection turns `needs_reconnect` with a reason naming what is missing, never a silent
 * half-working account. `:write` implies the `:read` of the same domain (Calendly's rule).
 * Pure (upstream/errors.ts uses it); flagging the stored connection is ./flag-missing-scopes.ts.
 */
import { CALENDLY_SCOPES } from "../calendly/scopes";
import { AppError } from "../lib/errors";

/** What each permission lets Kairos do, in the coach's words. */
const PURPOSE: Record<string, string> = {
  "users:read": "your Calendly profile",
  "event_types:read": "your event types",
  "event_types:write": "edit your event types",
  "availability:read": "your availability",
  "availability:write": "edit your availability",
  "scheduled_events:read": "your bookings",
  "scheduled_events:write": "book, cancel and mark no-shows",
  "webhooks:read": "your webhook subscriptions",
  "webhooks:write": "live booking updates (webhooks)",
};

const covers = (granted: Set<string>, scope: string) =>
  granted.has(scope) || granted.has(scope.replace(/:read$/, ":write"));

/**
 * The scopes Kairos needs that a grant lacks. A token answer without `scope` (or Calendly's legacy
 * `"default"`) comes from a grant made before scopes existed, which has full access: nothing missing.
 */
export function missingCalendlyScopes(granted: string | null | undefined): string[] {
  if (granted === undefined || granted === null || granted.trim() === "default") return [];
  const have = new Set(granted.split(/\s+/).filter(Boolean));
  // Read at call time: upstream/errors.ts → here → calendly/oauth.ts → upstream/errors.ts is a cycle.
  return CALENDLY_SCOPES.split(" ").filter((s) => !covers(have, s));
}

export function needsAccessMessage(missing: readonly string[]): string {
  const what = missing.map((s) => (PURPOSE[s] ? `${PURPOSE[s]} (${s})` : s)).join(", ");
  return `Kairos needs access to ${what} in Calendly. Reconnect Calendly and keep every permission Kairos asks for ticked.`;
}

/** The typed error for Calendly's 403 "Insufficient scope": the coach must reconnect; never retried. */
export function insufficientScopeError(missing: readonly string[], internal: unknown): AppError {
  return new AppError("reconnect_required", needsAccessMessage(missing), {
    internal,
    details: {
      upstream: "calendly",
      upstreamStatus: 403,
      reason: "missing_scopes",
      missingScopes: missing,
    },
  });
}

/** The missing scopes an error carries, if it is an insufficient-scope error. */
export function missingScopesOf(err: unknown): string[] | null {
  if (!(err instanceof AppError)) return null;
  const d = err.details as { reason?: unknown; missingScopes?: unknown } | undefined;
  return d?.reason === "missing_scopes" && Array.isArray(d.missingScopes)
    ? d.missingScopes.filter((s): s is string => typeof s === "string")
    : null;
}
