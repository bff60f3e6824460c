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
import { AppError } from "../lib/errors";

const REFRESH_MARGIN_MS = 10 * 60_000;

export class CoachGuard extends DurableObject<Env> {
  #inFlight = new Map<Provider, Promise<string>>();

  accessToken(coachId: string, provider: Provider): Promise<string> {
    let pending = this.#inFlight.get(provider);
    if (!pending) {
      pending = this.#readOrRefresh(coachId, provider).finally(() =>
        this.#inFlight.delete(provider),
      );
      this.#inFlight.set(provider, pending);
    }
    return pending;
  }

  async #readOrRefresh(coachId: string, provider: Provider): Promise<string> {
    const scope = { db: createDb(this.env.DB), coachId };
    const conn = await getConnection(scope, provider);
    if (!conn?.accessTokenEnc || !conn.refreshTokenEnc || conn.status === "needs_reconnect") {
      throw new AppError("unauthenticated", `Your ${provider} connection needs to be reconnected.`);
    }
    const keys = this.env.ENCRYPTION_KEYS;
    if (conn.accessExpiresAt && conn.accessExpiresAt.getTime() > Date.now() + REFRESH_MARGIN_MS) {
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
        await setConnectionStatus(
          scope,
          provider,
          "needs_reconnect",
          "Calendly no longer accepts Kairos's access. Please reconnect.",
        );
      }
      throw err;
    }
  }
}

/** The stub for a coach's guard. */
export const coachGuard = (env: Env, coachId: string) =>
  env.COACH_GUARD.get(env.COACH_GUARD.idFromName(coachId));
