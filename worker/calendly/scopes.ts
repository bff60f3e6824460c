/**
 * The Calendly scopes Kairos asks for. Apart from oauth.ts so that the startup path (CoachGuard →
 * upstream errors → scope checks) does not evaluate oauth.ts's zod schemas (docs/scaling.md).
 */
export const CALENDLY_SCOPES = [
  "users:read",
  "event_types:read",
  "event_types:write",
  "availability:read",
  "availability:write",
  "scheduled_events:read",
  "scheduled_events:write",
  "webhooks:read",
  "webhooks:write",
].join(" ");
