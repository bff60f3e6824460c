/**
 * The one HTTP policy for every upstream call (Calendly, Zoom), per coach and upstream:
 * - a timeout on every attempt;
 * - idempotent requests retry 5xx and timeouts with exponential backoff and full jitter; others never
 *   retry blindly (their outcome is unknown, so the caller decides);
 * - a 429 sets a "not before" instant from `Retry-After` or `X-RateLimit-Reset` (+ jitter): no call
 *   leaves before it;
 * - a circuit breaker opens after consecutive failures, lets one probe through after a cooldown and
 *   closes on success: an open breaker fails fast;
 * - a request budget below the upstream's per-user limit (learned from `X-RateLimit-Limit`).
 * Clock, sleep, randomness and fetch are injected so all of this is tested with a fake clock.
 */
import { AppError } from "../lib/errors";

export type Upstream = "calendly" | "zoom";

export const UPSTREAM_LABEL: Record<Upstream, string> = { calendly: "Calendly", zoom: "Zoom" };

export const POLICY = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  /** Consecutive failed attempts (5xx, timeouts, network) that open the breaker. */
  failureThreshold: 5,
  cooldownMs: 60_000,
  /** Share of the upstream's per-minute limit one coach may use. */
  budgetShare: 0.8,
  /** Calendly's Free plan allows 50/min; we assume the lowest until a response tells us. */
  assumedLimitPerMinute: 50,
  /** A call that would exceed the budget waits this long at most, then fails as rate limited. */
  maxBudgetWaitMs: 2_000,
  /**
   * Whether `X-RateLimit-Limit` on a success is a per-minute limit to learn (Calendly). Zoom's is
   * per second or per day depending on `X-RateLimit-Type`, so its gates keep their assumed limit.
   */
  learnsLimitFromHeaders: true,
};
export type Policy = Omit<typeof POLICY, "learnsLimitFromHeaders"> & {
  learnsLimitFromHeaders: boolean;
};

export type BreakerState = "closed" | "open" | "half_open";

/** What survives a restart of the guard (persisted by the caller after every change). */
export type GateState = {
  breaker: BreakerState;
  consecutiveFailures: number;
  openUntil: number | null;
  notBefore: number | null;
  limitPerMinute: number | null;
  lastError: { at: number; message: string } | null;
  lastSuccessAt: number | null;
};

export const initialGateState = (): GateState => ({
  breaker: "closed",
  consecutiveFailures: 0,
  openUntil: null,
  notBefore: null,
  limitPerMinute: null,
  lastError: null,
  lastSuccessAt: null,
});

export type GateDeps = {
  fetch: (request: Request) => Promise<Response>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Called whenever the persisted part of the state changed. */
  onChange?: (state: GateState) => void;
};

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^attempt)). */
export function fullJitterDelay(attempt: number, random: () => number, policy = POLICY): number {
  return Math.floor(
    random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)),
  );
}

/** The instant a 429 allows the next call: Retry-After (seconds or HTTP date), else the reset. */
export function retryAtAfter429(headers: Headers, now: number, random: () => number): number {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return now + Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(now, date);
  }
  const reset = Number(headers.get("x-ratelimit-reset"));
  // Calendly sends seconds until the reset; Zoom an instant in Unix seconds.
  const isInstant = reset > 1_000_000_000;
  const base = !Number.isFinite(reset) || reset <= 0 ? 60_000 : isInstant ? 0 : reset * 1000;
  const at = isInstant ? Math.max(now, reset * 1000) : now;
  return at + base + Math.floor(random() * 1000);
}

export type SendOptions = { idempotent: boolean };

export class UpstreamGate {
  #calls: number[] = [];
  #probing = false;

  constructor(
    readonly upstream: Upstream,
    public state: GateState,
    private readonly deps: GateDeps,
    private readonly policy: Policy = POLICY,
  ) {}

  get #label() {
    return UPSTREAM_LABEL[this.upstream];
  }

  /** The effective breaker state now (an open breaker past its cooldown is half-open). */
  breakerNow(): BreakerState {
    const { breaker, openUntil } = this.state;
    if (breaker === "open" && openUntil !== null && this.deps.now() >= openUntil)
      return "half_open";
    return breaker;
  }

  /** True while calls fail fast: breaker open or a 429 wait still running. */
  isDegraded(): boolean {
    const notBefore = this.state.notBefore;
    return this.breakerNow() !== "closed" || (notBefore !== null && notBefore > this.deps.now());
  }

  async send(request: Request, { idempotent }: SendOptions): Promise<Response> {
    const probe = await this.#admit();
    try {
      for (let attempt = 1; ; attempt++) {
        this.#calls.push(this.deps.now());
        const outcome = await this.#attempt(request.clone() as Request);
        if (outcome instanceof Response && outcome.status < 500) {
          if (outcome.status === 429) throw this.#rateLimited(outcome.headers);
          this.#succeeded(outcome.headers);
          return outcome;
        }
        const failure =
          outcome instanceof Response
            ? `${this.#label} answered ${outcome.status}`
            : `${this.#label} did not answer (${outcome.message})`;
        this.#failed(failure);
        const retry = idempotent && attempt < this.policy.maxAttempts && !probe;
        if (!retry || this.breakerNow() !== "closed") {
          throw new AppError(
            "upstream_unavailable",
            `${this.#label} is not responding right now.`,
            {
              internal: { upstream: this.upstream, failure, attempts: attempt },
              details: {
                upstream: this.upstream,
                retryAt: this.#retryAtIso(),
                // A non-idempotent call may have happened: the caller must check before redoing it.
                outcome: idempotent ? "not_applied" : "unknown",
              },
            },
          );
        }
        await this.deps.sleep(fullJitterDelay(attempt, this.deps.random, this.policy));
      }
    } finally {
      if (probe) this.#probing = false;
    }
  }

  /** Fails fast when the breaker is open or a 429 wait runs; waits briefly for budget. */
  async #admit(): Promise<boolean> {
    const now = this.deps.now();
    const breaker = this.breakerNow();
    if (breaker === "open" || (breaker === "half_open" && this.#probing)) {
      throw new AppError(
        "upstream_unavailable",
        `${this.#label} is not responding; Kairos will try again soon.`,
        {
          details: {
            upstream: this.upstream,
            breaker,
            retryAt: new Date(this.state.openUntil ?? now).toISOString(),
          },
        },
      );
    }
    const notBefore = this.state.notBefore;
    if (notBefore !== null && notBefore > now) throw this.#rateLimitedUntil(notBefore);
    await this.#waitForBudget();
    if (breaker === "half_open") {
      this.#probing = true;
      return true;
    }
    return false;
  }

  async #waitForBudget() {
    const limit = this.state.limitPerMinute ?? this.policy.assumedLimitPerMinute;
    const budget = Math.max(1, Math.floor(limit * this.policy.budgetShare));
    const now = this.deps.now();
    this.#calls = this.#calls.filter((t) => t > now - 60_000);
    if (this.#calls.length < budget) return;
    const freeAt = (this.#calls[this.#calls.length - budget] ?? now) + 60_000;
    if (freeAt - now > this.policy.maxBudgetWaitMs) throw this.#rateLimitedUntil(freeAt);
    await this.deps.sleep(freeAt - now);
  }

  async #attempt(request: Request): Promise<Response | Error> {
    try {
      return await this.deps.fetch(
        new Request(request, { signal: AbortSignal.timeout(this.policy.timeoutMs) }),
      );
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  #succeeded(headers: Headers) {
    const limit = this.policy.learnsLimitFromHeaders
      ? Number(headers.get("x-ratelimit-limit"))
      : Number.NaN;
    this.#update({
      breaker: "closed",
      consecutiveFailures: 0,
      openUntil: null,
      lastSuccessAt: this.deps.now(),
      limitPerMinute: Number.isFinite(limit) && limit > 0 ? limit : this.state.limitPerMinute,
    });
  }

  #failed(message: string) {
    const now = this.deps.now();
    const failures = this.state.consecutiveFailures + 1;
    const open = this.breakerNow() === "half_open" || failures >= this.policy.failureThreshold;
    this.#update({
      consecutiveFailures: failures,
      lastError: { at: now, message },
      ...(open ? { breaker: "open" as const, openUntil: now + this.policy.cooldownMs } : {}),
    });
  }

  #rateLimited(headers: Headers): AppError {
    const until = retryAtAfter429(headers, this.deps.now(), this.deps.random);
    this.#update({
      notBefore: until,
      lastError: { at: this.deps.now(), message: `${this.#label} asked Kairos to slow down` },
    });
    return this.#rateLimitedUntil(until);
  }

  #rateLimitedUntil(until: number) {
    return new AppError("rate_limited", `${this.#label} is busy; Kairos will try again shortly.`, {
      details: { upstream: this.upstream, retryAt: new Date(until).toISOString() },
    });
  }

  #retryAtIso() {
    const { openUntil } = this.state;
    return this.state.breaker === "open" && openUntil ? new Date(openUntil).toISOString() : null;
  }

  #update(patch: Partial<GateState>) {
    this.state = { ...this.state, ...patch };
    this.deps.onChange?.(this.state);
  }
}
