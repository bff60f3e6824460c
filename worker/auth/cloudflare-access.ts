/**
 * Cloudflare Access in front of /admin in production. Access signs every request it lets through
 * with a JWT in `Cf-Access-Jwt-Assertion`; the worker verifies it itself — RS256 against the team's
 * published keys, issued by the team, for this application's audience tag, not expired — so a
 * request that reaches the worker around Access (another route, a misconfigured policy) is refused.
 * The key set is fetched once per isolate and cached by jose (refetched when a new key id shows up,
 * as happens when Cloudflare rotates the keys).
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";

export const ACCESS_JWT_HEADER = "cf-access-jwt-assertion";

/** "<team>.cloudflareaccess.com", also accepted with https:// or a trailing slash. */
export const accessIssuer = (teamDomain: string) =>
  `https://${teamDomain
    .trim()
    .replace(/^https:\/\//, "")
    .replace(/\/+$/, "")}`;

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(issuer: string) {
  let keys = keySets.get(issuer);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${issuer}/cdn-cgi/access/certs`), {
      timeoutDuration: 5_000,
    });
    keySets.set(issuer, keys);
  }
  return keys;
}

const refused = () => new AppError("forbidden", "This area is for the Kairos operator.");

/** The operator's email from a valid Access JWT; throws a 403 for anything else. */
export async function verifyAccessJwt(
  env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">,
  token: string | undefined,
): Promise<string> {
  if (!env.ACCESS_TEAM_DOMAIN || !env.ACCESS_AUD) {
    // Fail closed: production without Access configured has no operator at all.
    log.error("admin.access_unconfigured", {});
    throw refused();
  }
  if (!token) throw refused();
  const issuer = accessIssuer(env.ACCESS_TEAM_DOMAIN);
  try {
    const { payload } = await jwtVerify(token, keySetOf(issuer), {
      issuer,
      audience: env.ACCESS_AUD,
      algorithms: ["RS256"],
      requiredClaims: ["exp"],
    });
    return typeof payload.email === "string" ? payload.email : String(payload.sub ?? "");
  } catch (err) {
    // The reason (expired, wrong audience, unknown key…) only: never the token itself.
    log.warn("admin.access_refused", {
      reason: err instanceof Error ? ((err as { code?: string }).code ?? err.name) : "unknown",
    });
    throw refused();
  }
}
