/**
 * CoachGuard: one per coach (idFromName(coachId)), the only writer of that coach's tokens and the
 * only door to that coach's upstreams. Every Calendly call goes through `calendly()`, which adds the
 * token and applies the HTTP policy (breaker, 429 waits, budget, retries: worker/upstream/policy.ts)
 * with state that survives restarts, in separate gates for the API, OAuth and `POST /invitees`
 * (worker/upstream/gates.ts). Token work runs in one lane per provider (worker/lib/single-flight.ts):
 * reading, refreshing and re-encrypting never overlap, so a rotating refresh token is spent once and
 * the rotated pair is persisted before anyone sees it; concurrent callers share one read-or-refresh.
 * Zoom calls go through `zoom()` alike, in one gate per Zoom rate-limit label, and meeting creates
 * and updates also count against Zoom's 100 per user per day (../zoom/guard-call.ts).
 * The class lives apart from its callers' helpers (./coach-guard.ts) and loads its zod and drizzle
 * dependencies (./coach-guard-deps.ts) on first use: the Worker exports this class, so whatever it
 * imports statically is evaluated at isolate startup (docs/scaling.md, "Startup").
 */
import { DurableObject } from "cloudflare:workers";
import type { Provider } from "../db/schema";
import { AppError, type ErrorCode } from "../lib/errors";
import { log } from "../lib/log";
import { Lanes } from "../lib/single-flight";
import {
  calendlyGateFor,
  foldGateViews,
  GATES,
  type GateKey,
  upstreamOf,
  ZOOM_ASSUMED_PER_MINUTE,
} from "../upstream/gates";
import {
  type BreakerState,
  type GateState,
  initialGateState,
  POLICY,
  type Upstream,
  UpstreamGate,
} from "../upstream/policy";
import {
  type ApiAnswer,
  type ApiCall,
  apiRequest,
  isIdempotent,
  readAnswer,
  realGateDeps,
  type Transport,
} from "../upstream/transport";
import type { ZoomGrantEnd } from "../zoom/disconnect";

let depsLoading: Promise<typeof import("./coach-guard-deps")> | undefined;
const deps = () => (depsLoading ??= import("./coach-guard-deps"));

const REFRESH_MARGIN_MS = 10 * 60_000;

/** Errors do not keep their class across RPC, so the guard answers with a plain result. */
export type GuardResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; details?: unknown };

/** What the guard knows right now about one upstream (for Settings → Connections). */
export type UpstreamStatus = {
  refreshing: boolean;
  degraded: boolean;
  breaker: BreakerState;
  retryAt: string | null;
  lastError: { at: string; message: string } | null;
  lastSuccessAt: string | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What a token flight hands its callers: the token and until when it is valid. */
type HeldToken = { token: string; expiresAt: number };

async function settle<T>(work: () => Promise<T>): Promise<GuardResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    if (!e) log.error("coach_guard.failed", { err });
    return {
      ok: false,
      code: e?.code ?? "internal",
      message: e?.message ?? "Something went wrong on our side. Please try again.",
      details: e?.details,
    };
  }
}

export class CoachGuard extends DurableObject<Env> {
  #lanes = new Lanes<Provider>();
  #refreshing = new Set<Provider>();
  #gates = new Map<GateKey, UpstreamGate>();

  /** A token valid for at least `minValidityMs` (default 10 min; background refresh asks 30). */
  accessToken(
    coachId: string,
    provider: Provider,
    minValidityMs = REFRESH_MARGIN_MS,
  ): Promise<GuardResult<string>> {
    return settle(() => this.#token(coachId, provider, minValidityMs));
  }

  /** One Calendly API call with the coach's token, under the HTTP policy. */
  calendly(coachId: string, call: ApiCall): Promise<GuardResult<ApiAnswer>> {
    return settle(() => this.#calendly(coachId, call));
  }

  /**
   * One Zoom API call with the coach's token, in the gate of its Zoom rate-limit label, meeting
   * creates and updates counted against Zoom's 100 a day (../zoom/guard-call.ts).
   */
  zoom(coachId: string, call: ApiCall): Promise<GuardResult<ApiAnswer>> {
    return settle(async () => {
      const { guardedZoomCall } = await deps();
      return guardedZoomCall(
        {
          env: this.env,
          coachId,
          token: (minValidityMs, deadToken) =>
            this.#token(coachId, "zoom", minValidityMs, deadToken),
          gate: (key) => this.#gate(key),
          kv: this.ctx.storage.kv,
          refreshMarginMs: REFRESH_MARGIN_MS,
        },
        call,
      );
    });
  }

  /** Disconnects Zoom (revokes the grant there), after any token work queued before it. */
  disconnectZoom(coachId: string): Promise<GuardResult<null>> {
    return settle(() =>
      this.#lanes.run("zoom", async () => {
        const { createDb, disconnectZoom, revokeZoomToken, zoomOAuthConfig } = await deps();
        const gate = this.#gate("zoom:oauth");
        await disconnectZoom(
          this.env,
          { db: createDb(this.env.DB), coachId },
          {
            // Zoom revokes by access token: a live one (refreshed if need be) if the grant lives.
            accessToken: async () =>
              (await this.#readOrRefresh(coachId, "zoom", 60_000, undefined)).token,
            revoke: (token) => revokeZoomToken(zoomOAuthConfig(this.env), token, gate),
          },
        );
        return null;
      }),
    );
  }

  /**
   * Zoom ended the grant (the app was removed: `app_deauthorized`; or the Zoom user connected
   * another Kairos account): its tokens are dead already, so they are wiped without a revoke.
   */
  zoomGrantEnded(coachId: string, why: ZoomGrantEnd): Promise<GuardResult<null>> {
    return settle(() =>
      this.#lanes.run("zoom", async () => {
        const { createDb, markZoomGrantEnded } = await deps();
        await markZoomGrantEnded({ db: createDb(this.env.DB), coachId }, why);
        return null;
      }),
    );
  }

  status(): Record<Upstream, UpstreamStatus> {
    const of = (upstream: Upstream): UpstreamStatus => {
      const now = Date.now();
      const views = GATES[upstream].map((key) => {
        const gate = this.#gate(key);
        const breaker = gate.breakerNow();
        const waitUntil = breaker === "closed" ? gate.state.notBefore : gate.state.openUntil;
        const retryAt = waitUntil !== null && waitUntil > now ? waitUntil : null;
        return { degraded: gate.isDegraded(), breaker, retryAt, state: gate.state };
      });
      const folded = foldGateViews(views);
      return {
        refreshing: this.#refreshing.has(upstream),
        degraded: folded.degraded,
        breaker: folded.breaker,
        retryAt: iso(folded.retryAt),
        lastError: folded.lastError && {
          message: folded.lastError.message,
          at: new Date(folded.lastError.at).toISOString(),
        },
        lastSuccessAt: iso(folded.lastSuccessAt),
      };
    };
    return { calendly: of("calendly"), zoom: of("zoom") };
  }

  /** Re-encrypts the coach's stored secrets made with an older key (key rotation sweep). */
  rekey(coachId: string): Promise<GuardResult<{ rekeyed: number }>> {
    return settle(async () => {
      const { createDb, rekeySigningKeys, reseal } = await deps();
      const scope = { db: createDb(this.env.DB), coachId };
      let rekeyed = 0;
      for (const provider of ["calendly", "zoom"] as const) {
        // In the provider's lane: a refresh can never save a pair between our read and our write.
        if (await this.#lanes.run(provider, () => this.#rekeyConnection(coachId, provider)))
          rekeyed++;
      }
      rekeyed += await rekeySigningKeys(scope, (sub) =>
        reseal(this.env.ENCRYPTION_KEYS, coachId, sub.provider, "webhook_signing_key", sub.enc),
      );
      return { rekeyed };
    });
  }

  /** Disconnects Calendly; waits for any token work queued so nothing re-saves tokens after. */
  disconnectCalendly(coachId: string): Promise<GuardResult<null>> {
    return settle(async () => {
      await this.#lanes.run("calendly", async () => undefined);
      const {
        calendlyOAuthConfig,
        createCalendlyClient,
        createDb,
        disconnectCalendly,
        revokeToken,
      } = await deps();
      const gate = this.#gate("calendly:oauth");
      await disconnectCalendly(
        this.env,
        { db: createDb(this.env.DB), coachId },
        {
          calendly: createCalendlyClient(this.#transport(coachId)),
          revoke: (token) => revokeToken(calendlyOAuthConfig(this.env), token, gate),
        },
      );
      return null;
    });
  }

  #transport(coachId: string): Transport {
    return (call) => this.#calendly(coachId, call);
  }

  async #calendly(coachId: string, call: ApiCall): Promise<ApiAnswer> {
    const { calendlyOAuthConfig, createDb, flagIfInsufficientScope, isTokenActive } = await deps();
    const gate = this.#gate(calendlyGateFor(call));
    const send = (token: string) =>
      gate.send(apiRequest(this.env.CALENDLY_API_BASE, token, call), {
        idempotent: isIdempotent(call.method),
      });
    const token = await this.#token(coachId, "calendly", REFRESH_MARGIN_MS);
    let res = await send(token);
    if (res.status === 401) {
      // The token is in doubt (revoked, or expired early). Ask Calendly; if it is dead, refresh
      // once and resend — a 401 means the first request was not applied, so resending is safe.
      const oauth = this.#gate("calendly:oauth");
      const active = await isTokenActive(calendlyOAuthConfig(this.env), token, oauth);
      if (!active) res = await send(await this.#token(coachId, "calendly", 0, token));
    }
    try {
      return await readAnswer("calendly", res, call);
    } catch (err) {
      // A 403 "Insufficient scope": the coach must reconnect granting it; the connection says so.
      await flagIfInsufficientScope({ db: createDb(this.env.DB), coachId }, err);
      throw err;
    }
  }

  #gate(key: GateKey): UpstreamGate {
    let gate = this.#gates.get(key);
    if (!gate) {
      const storageKey = `gate:${key}`;
      const kv = this.ctx.storage.kv;
      // Zoom's gates assume their label's Free-plan limit; its X-RateLimit-Limit is not per minute.
      const assumed = ZOOM_ASSUMED_PER_MINUTE[key];
      const policy =
        assumed === undefined
          ? POLICY
          : { ...POLICY, assumedLimitPerMinute: assumed, learnsLimitFromHeaders: false };
      gate = new UpstreamGate(
        upstreamOf(key),
        kv.get<GateState>(storageKey) ?? initialGateState(),
        { ...realGateDeps, onChange: (state) => kv.put(storageKey, state) },
        policy,
      );
      this.#gates.set(key, gate);
    }
    return gate;
  }

  /**
   * A token valid for `minValidityMs` and not `deadToken`. Callers first join the flight already
   * queued (one read-or-refresh for a burst); one it cannot satisfy (too short-lived, or the very
   * token the caller just saw rejected) queues its own flight in the lane, which re-reads what the
   * one before it saved: however many callers hold a dead token, only the first refreshes.
   */
  async #token(
    coachId: string,
    provider: Provider,
    minValidityMs: number,
    deadToken?: string,
  ): Promise<string> {
    const flight = () => this.#readOrRefresh(coachId, provider, minValidityMs, deadToken);
    let mine = false;
    const shared = await this.#lanes.share(provider, () => {
      mine = true;
      return flight();
    });
    const enough = shared.token !== deadToken && shared.expiresAt > Date.now() + minValidityMs;
    if (mine || enough) return shared.token;
    return (await this.#lanes.run(provider, flight)).token;
  }

  /** Runs in the provider's lane only. */
  async #readOrRefresh(
    coachId: string,
    provider: Provider,
    minValidityMs: number,
    deadToken: string | undefined,
    afterRejection = false,
  ): Promise<HeldToken> {
    const d = await deps();
    const { calendlyOAuthConfig, createDb, flagMissingScopes, getConnection, openToken } = d;
    const {
      missingCalendlyScopes,
      refreshTokens,
      refreshZoomTokens,
      saveConnection,
      sealTokens,
      setConnectionStatus,
      zoomOAuthConfig,
    } = d;
    const scope = { db: createDb(this.env.DB), coachId };
    const conn = await getConnection(scope, provider);
    if (!conn?.accessTokenEnc || !conn.refreshTokenEnc || conn.status !== "connected") {
      throw new AppError(
        "reconnect_required",
        `Your ${provider === "calendly" ? "Calendly" : "Zoom"} connection needs to be reconnected.`,
      );
    }
    const keys = this.env.ENCRYPTION_KEYS;
    const stored = await openToken(keys, coachId, provider, "access_token", conn.accessTokenEnc);
    const expiresAt = conn.accessExpiresAt?.getTime() ?? 0;
    if (expiresAt > Date.now() + minValidityMs && stored !== deadToken) {
      await this.#rekeyConnection(coachId, provider);
      return { token: stored, expiresAt };
    }
    const presented = conn.refreshTokenEnc;
    const refreshToken = await openToken(keys, coachId, provider, "refresh_token", presented);
    this.#refreshing.add(provider);
    try {
      const tokens =
        provider === "calendly"
          ? await refreshTokens(
              calendlyOAuthConfig(this.env),
              refreshToken,
              this.#gate("calendly:oauth"),
            )
          : await refreshZoomTokens(
              zoomOAuthConfig(this.env),
              refreshToken,
              this.#gate("zoom:oauth"),
            );
      // Saved before anyone sees it: the refresh token just presented is dead from now on.
      const sealed = await sealTokens(keys, coachId, provider, tokens);
      await saveConnection(scope, provider, conn.externalUserId, sealed);
      // A refreshed grant can come back narrower than the one we had: never call that connected.
      // (Zoom's scopes are fixed on the app, so only Calendly's are checked.)
      const missing = provider === "calendly" ? missingCalendlyScopes(tokens.scope) : [];
      if (missing.length > 0) await flagMissingScopes(scope, missing);
      return { token: tokens.access_token, expiresAt: sealed.accessExpiresAt.getTime() };
    } catch (err) {
      if (!(err instanceof AppError && err.code === "unauthenticated")) throw err;
      // invalid_grant. If a new pair was stored meanwhile (the coach signed in again), the grant
      // we presented is simply not the current one: use what is stored instead of flagging.
      const now = await getConnection(scope, provider);
      if (!afterRejection && now?.status === "connected" && now.refreshTokenEnc !== presented) {
        return this.#readOrRefresh(coachId, provider, minValidityMs, deadToken, true);
      }
      // The grant is dead; never retry it until the coach reconnects.
      const name = provider === "calendly" ? "Calendly" : "Zoom";
      const message = `${name} no longer accepts Kairos's access. Please reconnect.`;
      await setConnectionStatus(scope, provider, "needs_reconnect", message);
      throw new AppError("reconnect_required", message, { cause: err });
    } finally {
      this.#refreshing.delete(provider);
    }
  }

  /**
   * Lazy half of key rotation: a connection read with an old key is re-encrypted on the spot. Runs
   * in the provider's lane, and writes only over the ciphertexts it read.
   */
  async #rekeyConnection(coachId: string, provider: Provider): Promise<boolean> {
    const { createDb, getConnection, isStaleCiphertext, replaceTokenCiphertexts, reseal } =
      await deps();
    const keys = this.env.ENCRYPTION_KEYS;
    const scope = { db: createDb(this.env.DB), coachId };
    const conn = await getConnection(scope, provider);
    if (!conn?.accessTokenEnc || !conn.refreshTokenEnc) return false;
    const stale =
      (await isStaleCiphertext(keys, conn.accessTokenEnc)) ||
      (await isStaleCiphertext(keys, conn.refreshTokenEnc));
    if (!stale) return false;
    const read = { accessTokenEnc: conn.accessTokenEnc, refreshTokenEnc: conn.refreshTokenEnc };
    return replaceTokenCiphertexts(scope, provider, read, {
      accessTokenEnc: await reseal(keys, coachId, provider, "access_token", conn.accessTokenEnc),
      refreshTokenEnc: await reseal(keys, coachId, provider, "refresh_token", conn.refreshTokenEnc),
    });
  }
}
