/**
 * Cloudflare Access in front of /admin in production. Access signs every request it lets through
 * with a JWT in `Cf-Access-Jwt-Assertion`; the worker verifies it itself — RS256 against the team's
 * published keys, issued by the team, for this application's audience tag, not expired — so a
 * request that reaches the worker around Access (another route, a misconfigured policy) is refused.
 * Verification is plain WebCrypto (no JWT library: this is the only JWT the worker checks, and a
 * library cost ~20 KB of bundle). The key set is fetched once per isolate and cached; an unknown
 * key id triggers one refetch (Cloudflare rotates the keys), at most every KEYS_REFETCH_COOLDOWN_MS
 * so made-up key ids cannot make us hammer the certs endpoint.
 */
import { AppError } from "../lib/errors";
import { log } from "../lib/log";

export const ACCESS_JWT_HEADER = "cf-access-jwt-assertion";

/** "<team>.cloudflareaccess.com", also accepted with https:// or a trailing slash. */
export const accessIssuer = (teamDomain: string) =>
  `https://${teamDomain
    .trim()
    .replace(/^https:\/\//, "")
    .replace(/\/+$/, "")}`;

const CERTS_TIMEOUT_MS = 5_000;
const KEYS_REFETCH_COOLDOWN_MS = 30_000;
/** Tolerated clock difference between Access and this isolate for exp/nbf. */
const CLOCK_SKEW_S = 30;

const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** Why a token was refused: logged, never returned to the caller. */
class Refusal extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

interface KeySet {
  keys: Map<string, CryptoKey>;
  fetchedAt: number;
  pending?: Promise<void>;
}

const keySets = new Map<string, KeySet>();

interface Jwk {
  kty?: string;
  kid?: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
}

async function fetchKeys(issuer: string): Promise<Map<string, CryptoKey>> {
  let res: Response;
  try {
    res = await fetch(`${issuer}/cdn-cgi/access/certs`, {
      signal: AbortSignal.timeout(CERTS_TIMEOUT_MS),
    });
  } catch {
    throw new Refusal("jwks_unreachable");
  }
  if (!res.ok) throw new Refusal("jwks_unreachable");
  const body = (await res.json().catch(() => null)) as { keys?: unknown } | null;
  if (!body || !Array.isArray(body.keys)) throw new Refusal("jwks_invalid");
  const keys = new Map<string, CryptoKey>();
  for (const jwk of body.keys as Jwk[]) {
    if (!jwk || jwk.kty !== "RSA" || typeof jwk.kid !== "string") continue;
    if (jwk.alg !== undefined && jwk.alg !== "RS256") continue;
    if (jwk.use !== undefined && jwk.use !== "sig") continue;
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") continue;
    try {
      const key = await crypto.subtle.importKey(
        "jwk",
        { kty: "RSA", n: jwk.n, e: jwk.e },
        RS256,
        false,
        ["verify"],
      );
      keys.set(jwk.kid, key);
    } catch {
      // One malformed key must not take the others down with it.
    }
  }
  return keys;
}

/** Refreshes the issuer's key set; concurrent callers share one request. */
function refresh(issuer: string, set: KeySet): Promise<void> {
  set.pending ??= fetchKeys(issuer)
    .then((keys) => {
      set.keys = keys;
      set.fetchedAt = Date.now();
    })
    .finally(() => {
      set.pending = undefined;
    });
  return set.pending;
}

async function keyFor(issuer: string, kid: string): Promise<CryptoKey> {
  let set = keySets.get(issuer);
  if (!set) {
    set = { keys: new Map(), fetchedAt: 0 };
    keySets.set(issuer, set);
  }
  let key = set.keys.get(kid);
  if (key) return key;
  if (set.pending || Date.now() - set.fetchedAt >= KEYS_REFETCH_COOLDOWN_MS) {
    await refresh(issuer, set);
    key = set.keys.get(kid);
  }
  if (!key) throw new Refusal("unknown_kid");
  return key;
}

function base64url(part: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(part) || part.length % 4 === 1) throw new Refusal("malformed");
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function jsonPart(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64url(part)));
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal("malformed");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Refusal("malformed");
  return value as Record<string, unknown>;
}

/** The verified payload of a compact RS256 JWT from `issuer` for `audience`; throws a Refusal. */
async function verifyJwt(token: string, issuer: string, audience: string) {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Refusal("malformed");
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = jsonPart(headerPart);
  // Only RS256: never let the token pick its own algorithm (HS256/none confusion).
  if (header.alg !== "RS256") throw new Refusal("alg_not_allowed");
  if (header.crit !== undefined) throw new Refusal("crit_unsupported");
  if (typeof header.kid !== "string" || !header.kid) throw new Refusal("missing_kid");
  const payload = jsonPart(payloadPart);
  const signature = base64url(signaturePart);

  const key = await keyFor(issuer, header.kid);
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await crypto.subtle.verify(RS256, key, signature, signed))) {
    throw new Refusal("bad_signature");
  }

  if (payload.iss !== issuer) throw new Refusal("wrong_issuer");
  const aud = payload.aud;
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) {
    throw new Refusal("wrong_audience");
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== "number") throw new Refusal("missing_exp");
  if (payload.exp <= now - CLOCK_SKEW_S) throw new Refusal("expired");
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== "number") throw new Refusal("malformed");
    if (payload.nbf > now + CLOCK_SKEW_S) throw new Refusal("not_yet_valid");
  }
  return payload;
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
    const payload = await verifyJwt(token, issuer, env.ACCESS_AUD);
    return typeof payload.email === "string" ? payload.email : String(payload.sub ?? "");
  } catch (err) {
    // The reason (expired, wrong audience, unknown key…) only: never the token itself.
    log.warn("admin.access_refused", {
      reason: err instanceof Refusal ? err.code : err instanceof Error ? err.name : "unknown",
    });
    throw refused();
  }
}
