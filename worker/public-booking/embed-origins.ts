/**
 * Which websites may frame a coach's booking page (CSP frame-ancestors) and be sent back to after a
 * booking. Checked when the coach saves the list (routes/booking-settings.ts) and again when the
 * page is served (profile.ts), so an origin saved before these rules cannot keep framing it.
 */
import { deploymentOf, isLocalHostname } from "../config-guard";

/**
 * Why an origin may not embed the booking page here, or null. Exact `https:` origins only: a
 * wildcard would let any site under it frame the page (and postMessage needs one exact origin),
 * and plain `http:` can be rewritten by anyone on the path. A local deployment also takes `http:`
 * on local hosts, for a coach's site under development.
 */
export function embedOriginProblem(env: Pick<Env, "APP_URL">, origin: string): string | null {
  const url = new URL(origin);
  if (url.hostname.includes("*")) {
    return "Wildcards are not allowed: list each website's exact origin.";
  }
  if (url.protocol === "https:") return null;
  const localDev = deploymentOf(env) === "local" && isLocalHostname(url.hostname);
  if (url.protocol === "http:" && localDev) return null;
  return "Use an https:// origin (http:// only for localhost while developing locally).";
}

/** The origins that may still embed: stored ones that pass today's rules. */
export const allowedEmbedOrigins = (env: Pick<Env, "APP_URL">, origins: string[]) =>
  origins.filter((o) => {
    try {
      return embedOriginProblem(env, o) === null;
    } catch {
      return false;
    }
  });
