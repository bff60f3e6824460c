/**
 * Which gate (breaker, 429 wait, budget: ./policy.ts) a call goes through. Calendly limits its OAuth
 * endpoints (8 token requests per user per minute), the Scheduling API (`POST /invitees`, its own
 * per-user counters) and the rest of the API separately, so a 429 or an open breaker on one must
 * never freeze the others: above all, a busy API must not stop a token refresh.
 */
import type { BreakerState, GateState, Upstream } from "./policy";

export type GateKey = "calendly" | "calendly:oauth" | "calendly:scheduling" | "zoom";

/** The gates each upstream has; its first is the API gate. */
export const GATES: Record<Upstream, readonly GateKey[]> = {
  calendly: ["calendly", "calendly:oauth", "calendly:scheduling"],
  zoom: ["zoom"],
};

export function calendlyGateFor(call: { method: string; path: string }): GateKey {
  return call.method === "POST" && call.path === "/invitees" ? "calendly:scheduling" : "calendly";
}

/** One gate as Settings → Connections sees it (the effective breaker and wait, now). */
export type GateView = {
  degraded: boolean;
  breaker: BreakerState;
  retryAt: number | null;
  state: GateState;
};

const SEVERITY: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };
const latest = (values: (number | null)[]) =>
  values.reduce<number | null>(
    (max, v) => (v !== null && (max === null || v > max) ? v : max),
    null,
  );

/** An upstream's gates folded into one view: the worst breaker, the latest wait, error and success. */
export function foldGateViews(views: GateView[]) {
  const lastError = views
    .map((v) => v.state.lastError)
    .reduce((a, b) => (b && (!a || b.at > a.at) ? b : a), null);
  return {
    degraded: views.some((v) => v.degraded),
    breaker: views.reduce<BreakerState>(
      (worst, v) => (SEVERITY[v.breaker] > SEVERITY[worst] ? v.breaker : worst),
      "closed",
    ),
    retryAt: latest(views.map((v) => v.retryAt)),
    lastError,
    lastSuccessAt: latest(views.map((v) => v.state.lastSuccessAt)),
  };
}
