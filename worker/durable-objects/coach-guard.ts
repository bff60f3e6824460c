/**
 * CoachGuard: one per coach (idFromName(coachId)), the only writer of that coach's tokens.
 * Concurrent callers share one in-flight read-or-refresh, so a rotating refresh token is never spent
 * twice; the rotated pair is persisted before any caller sees the new access token.
 */
import { DurableObject } from "cloudflare:workers";
import { openToken, sealTokens } from "../auth/token-vault";
import { refreshTokens } from "../calendly/oauth";
import { createDb } from "../db/client";
import { getConnection, saveConnection, setConnectionStatus } from "../db/connections";
import type { Provider } from "../db/schema";
import { AppError, type ErrorCode } from "../lib/errors";

const REFRESH_MARGIN_MS = 10 * 60_000;

/** Errors do not keep their class across RPC, so the guard answers with a plain result. */
export type TokenResult =
  | { ok: true; token: string }
  | { ok: false; code: ErrorCode; message: string };

export class CoachGuard extends DurableObject<Env> {
  #inFlight = new Map<Provider, Promise<TokenResult>>();

  /** A token valid for at least `minValidityMs` (default 10 min; background refresh asks 30). */
  accessToken(
    coachId: string,
    provider: Provider,
    minValidityMs = REFRESH_MARGIN_MS,
  ): Promise<TokenResult> {
    let pending = this.#inFlight.get(provider);
    if (!pending) {
      pending = this.#readOrRefresh(coachId, provider, minValidityMs)
        .then((token): TokenResult => ({ ok: true, token }))
        .catch((err: unknown): TokenResult => {
          const e = err instanceof AppError ? err : undefined;
          return { ok: false, code: e?.code ?? "internal", message: e?.message ?? String(err) };
        })
        .finally(() => this.#inFlight.delete(provider));
      this.#inFlight.set(provider, pending);
    }
    return pending;
  }

  async #readOrRefresh(
    coachId: string,
    provider: Provider,
    minValidityMs: number,
  ): Promise<string> {
    const scope = { db: createDb(this.env.DB), coachId };
    const conn = await getConnection(scope, provider);
    if (!conn?.accessTokenEnc || !conn.refreshTokenEnc || conn.status === "needs_reconnect") {
      throw new AppError(
        "reconnect_required",
        `Your ${provider} connection needs to be reconnected.`,
      );
    }
    const keys = this.env.ENCRYPTION_KEYS;
    if (conn.accessExpiresAt && conn.accessExpiresAt.getTime() > Date.now() + minValidityMs) {
      return openToken(keys, coachId, provider, "access_token", conn.accessTokenEnc);
    }
    if (provider !== "calendly") {
      throw new AppError("unavailable", `Refreshing ${provider} tokens is not supported yet.`);
    }
    const refreshToken = await openToken(
      keys,
      coachId,
      provider,
      "refresh_token",
      conn.refreshTokenEnc,
    );
    try {
      const tokens = await refreshTokens(
        {
          authBase: this.env.CALENDLY_AUTH_BASE,
          clientId: this.env.CALENDLY_CLIENT_ID,
          clientSecret: this.env.CALENDLY_CLIENT_SECRET,
        },
        refreshToken,
      );
      await saveConnection(
        scope,
        provider,
        conn.externalUserId,
        await sealTokens(keys, coachId, provider, tokens),
      );
      return tokens.access_token;
    } catch (err) {
      if (err instanceof AppError && err.code === "unauthenticated") {
        // invalid_grant: the grant is dead; never retry it until the coach reconnects.
        const message = "Calendly no longer accepts Kairos's access. Please reconnect.";
        await setConnectionStatus(scope, provider, "needs_reconnect", message);
        throw new AppError("reconnect_required", message, { cause: err });
      }
      throw err;
    }
  }
}

/** The stub for a coach's guard. */
export const coachGuard = (env: Env, coachId: string) =>
  env.COACH_GUARD.get(env.COACH_GUARD.idFromName(coachId));

/** A usable access token for the coach, or a typed AppError saying why not. */
export async function accessTokenFor(
  env: Env,
  coachId: string,
  provider: Provider,
  minValidityMs?: number,
) {
  const result = await coachGuard(env, coachId).accessToken(coachId, provider, minValidityMs);
  if (!result.ok) throw new AppError(result.code, result.message);
  return result.token;
}
