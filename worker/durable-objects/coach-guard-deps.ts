/**
 * What CoachGuard needs that is costly to evaluate (zod response schemas, drizzle tables), loaded on
 * the guard's first call instead of at isolate startup (./coach-guard-object.ts says why).
 */
export { isStaleCiphertext, openToken, reseal, sealTokens } from "../auth/token-vault";
export { createCalendlyClient } from "../calendly/client";
export { disconnectCalendly } from "../calendly/disconnect";
export { calendlyOAuthConfig, isTokenActive, refreshTokens, revokeToken } from "../calendly/oauth";
export { missingCalendlyScopes } from "../connections/calendly-scopes";
export { flagIfInsufficientScope, flagMissingScopes } from "../connections/flag-missing-scopes";
export { createDb } from "../db/client";
export {
  getConnection,
  replaceTokenCiphertexts,
  saveConnection,
  setConnectionStatus,
} from "../db/connections";
export { rekeySigningKeys } from "../db/webhook-subscriptions";
export { disconnectZoom, markZoomGrantEnded } from "../zoom/disconnect";
export { guardedZoomCall } from "../zoom/guard-call";
export { refreshZoomTokens, revokeZoomToken, zoomOAuthConfig } from "../zoom/oauth";
