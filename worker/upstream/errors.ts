/**
 * Upstream HTTP answers that are not a success → typed AppErrors, in one table. Branch on status only
 * (Calendly's `title`s drift); the upstream body goes to `internal` (logs), never to the coach.
 * 429, 5xx and timeouts never get here: the policy (./policy.ts) turns them into errors first.
 */
import { insufficientScopeError } from "../connections/calendly-scopes";
import { AppError } from "../lib/errors";
import { UPSTREAM_LABEL, type Upstream } from "./policy";

export function upstreamHttpError(
  upstream: Upstream,
  status: number,
  body: string,
  what: string,
): AppError {
  const name = UPSTREAM_LABEL[upstream];
  const options = {
    internal: { upstream, status, what, body: body.slice(0, 500) },
    details: { upstream, upstreamStatus: status },
  };
  switch (status) {
    case 401:
      return new AppError(
        "reconnect_required",
        `Your ${name} connection needs to be renewed.`,
        options,
      );
    case 403: {
      // Calendly's 403 also means "the grant lacks a scope": the coach must reconnect, not retry.
      const missing = upstream === "calendly" ? insufficientScopes(body) : null;
      if (missing) return insufficientScopeError(missing, options.internal);
      if (/please upgrade/i.test(body)) return planRefusal(name, options);
      return new AppError("forbidden", `${name} refused this request for your account.`, options);
    }
    case 404:
      return new AppError("not_found", `${name} could not find that item.`, options);
    case 409:
      return new AppError("conflict", `${name} says this already exists.`, options);
    case 424:
      return new AppError(
        "upstream_error",
        `${name} could not reach one of your connected calendars. Please try again later.`,
        options,
      );
    default:
      return status >= 500
        ? new AppError("upstream_unavailable", `${name} is not responding right now.`, options)
        : new AppError("upstream_error", `${name} rejected a request from Kairos.`, options);
  }
}

const SCOPE_NAME = /\b[a-z_]+:(?:read|write)\b/g;

/**
 * The scopes a Calendly 403 says the token lacks, or null when the 403 is about something else
 * (role, plan). Calendly reports `{"title":"Insufficient scope", "message", "required_scopes"?}`;
 * the list is read from `required_scopes`, else from scope names in `details` and `message`.
 */
export function insufficientScopes(body: string): string[] | null {
  let parsed: { title?: unknown; required_scopes?: unknown; message?: unknown; details?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return null;
  }
  const listed = Array.isArray(parsed.required_scopes) ? parsed.required_scopes : null;
  const isScope = /insufficient.scope/i.test(String(parsed.title ?? "")) || listed !== null;
  if (!isScope) return null;
  const names = (listed ?? []).filter((s): s is string => typeof s === "string");
  if (!names.length) {
    names.push(
      ...(JSON.stringify([parsed.details ?? null, parsed.message ?? ""]).match(SCOPE_NAME) ?? []),
    );
  }
  return [...new Set(names)];
}

/**
 * A plan without the feature ("Please upgrade to a paid Calendly account."; before 2026-11 "…to
 * Standard"). The message is the only thing that tells it from a role refusal, so it is read here
 * once and carried as `details.reason: "plan"` (details survive the CoachGuard boundary, `internal`
 * does not); callers treat it as a known state, not a failure.
 */
function planRefusal(name: string, options: { internal: unknown; details: object }) {
  return new AppError("forbidden", `Your ${name} plan does not include this.`, {
    ...options,
    details: { ...options.details, reason: "plan" },
  });
}
