/**
 * Which OAuth scopes each Calendly endpoint needs (contract §1.5, Calendly's scope catalogue and the
 * endpoints' reference pages). Since 2026-03-03 a new app's token can do nothing it was not granted:
 * the fake grants exactly what was requested and answers 403 "Insufficient scope" otherwise.
 * `:write` implies the `:read` of the same domain. Where Calendly's pages disagree, the fake holds
 * both (stricter). An endpoint missing from this table is refused, so a new fake endpoint must be
 * mapped here before anything can call it (test/worker/sandbox/calendly/scopes.test.ts checks).
 */

/** The scope names an authorization request may carry; anything else is `invalid_scope`. */
export const KNOWN_SCOPES = [
  "users:read",
  "organizations:read",
  "event_types:read",
  "event_types:write",
  "availability:read",
  "availability:write",
  "scheduled_events:read",
  "scheduled_events:write",
  "webhooks:read",
  "webhooks:write",
  "routing_forms:read",
  "locations:read",
  "data_compliance:write",
] as const;

const events = { read: "scheduled_events:read", write: "scheduled_events:write" } as const;

/** [method, path on the API base (`:id` = one segment), scopes all required]. */
export const ENDPOINT_SCOPES: readonly (readonly [string, string, readonly string[]])[] = [
  ["GET", "/users/me", ["users:read"]],
  ["GET", "/users/:id", ["users:read"]],
  ["GET", "/organizations/:id", ["organizations:read"]],
  ["GET", "/organization_memberships", ["organizations:read"]],
  ["GET", "/organization_memberships/:id", ["organizations:read"]],
  ["GET", "/event_types", ["event_types:read"]],
  ["GET", "/event_types/:id", ["event_types:read"]],
  ["POST", "/event_types", ["event_types:write"]],
  ["PATCH", "/event_types/:id", ["event_types:write"]],
  ["GET", "/event_type_memberships", ["event_types:read"]],
  // The scope catalogue says event_types:read, the endpoint's reference page availability:read.
  ["GET", "/event_type_available_times", ["event_types:read", "availability:read"]],
  ["GET", "/event_type_availability_schedules", ["availability:read"]],
  ["PATCH", "/event_type_availability_schedules", ["availability:write"]],
  ["GET", "/user_availability_schedules", ["availability:read"]],
  ["GET", "/user_availability_schedules/:id", ["availability:read"]],
  ["GET", "/user_busy_times", ["availability:read"]],
  ["GET", "/scheduled_events", [events.read]],
  ["GET", "/scheduled_events/:id", [events.read]],
  ["GET", "/scheduled_events/:id/invitees", [events.read]],
  ["GET", "/scheduled_events/:id/invitees/:id", [events.read]],
  ["POST", "/scheduled_events/:id/cancellation", [events.write]],
  ["POST", "/invitees", [events.write]],
  ["GET", "/invitee_no_shows/:id", [events.read]],
  ["POST", "/invitee_no_shows", [events.write]],
  ["DELETE", "/invitee_no_shows/:id", [events.write]],
  ["GET", "/webhook_subscriptions", ["webhooks:read"]],
  ["GET", "/webhook_subscriptions/:id", ["webhooks:read"]],
  ["POST", "/webhook_subscriptions", ["webhooks:write"]],
  ["DELETE", "/webhook_subscriptions/:id", ["webhooks:write"]],
  ["GET", "/sample_webhook_data", ["webhooks:read"]],
];

/** A webhook subscription also needs the read scope of each event family it takes. */
const EVENT_FAMILY_SCOPE: Record<string, string> = {
  invitee: events.read,
  invitee_no_show: events.read,
  event_type: "event_types:read",
  routing_form_submission: "routing_forms:read",
};

const compiled = ENDPOINT_SCOPES.map(([method, path, scopes]) => ({
  method,
  pattern: new RegExp(`^${path.replaceAll(/:id\b/g, "[^/]+")}$`),
  scopes,
}));

/** The scopes an API call needs, or null when the endpoint is not in the table. */
export function requiredScopes(method: string, path: string): readonly string[] | null {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  return compiled.find((e) => e.method === m && e.pattern.test(path))?.scopes ?? null;
}

export function webhookEventScopes(eventNames: readonly string[]): string[] {
  const families = eventNames.map((e) => EVENT_FAMILY_SCOPE[e.split(".")[0] ?? ""]);
  return [...new Set(families.filter((s): s is string => Boolean(s)))];
}

export const parseScopes = (scope: string | null | undefined) =>
  (scope ?? "").split(/\s+/).filter(Boolean);

/** The required scopes a grant lacks (`:write` covers `:read`). */
export function missingScopes(granted: readonly string[], required: readonly string[]) {
  const has = new Set(granted);
  return required.filter((s) => !has.has(s) && !has.has(s.replace(/:read$/, ":write")));
}
