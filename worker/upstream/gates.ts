/**
 * Which gate (breaker, 429 wait, budget: ./policy.ts) a call goes through. Calendly limits its OAuth
 * endpoints (8 token requests per user per minute), the Scheduling API (`POST /invitees`, its own
 * per-user counters) and the rest of the API separately, so a 429 or an open breaker on one must
 * never freeze the others: above all, a busy API must not stop a token refresh.
 *
 * Zoom limits per account by endpoint label (contract §6: Light, Medium, Heavy), so each label has
 * its own gate, and OAuth its own. Meeting creates and updates have a gate of their own too: their
 * 100-per-user-per-day limit answers 429 with a `Retry-After` at midnight UTC, which must pause
 * those writes only, never a delete or a read (a cancelled booking must still delete its meeting).
 */
import type { BreakerState, GateState, Upstream } from "./policy";

export type GateKey =
  | "calendly"
  | "calendly:oauth"
  | "calendly:scheduling"
  | "zoom:light"
  | "zoom:medium"
  | "zoom:heavy"
  | "zoom:writes"
  | "zoom:oauth";

/** The gates each upstream has; its first is the API gate. */
export const GATES: Record<Upstream, readonly GateKey[]> = {
  calendly: ["calendly", "calendly:oauth", "calendly:scheduling"],
  zoom: ["zoom:light", "zoom:medium", "zoom:heavy", "zoom:writes", "zoom:oauth"],
};

export const upstreamOf = (key: GateKey): Upstream =>
  key.startsWith("zoom") ? "zoom" : "calendly";

export function calendlyGateFor(call: { method: string; path: string }): GateKey {
  return call.method === "POST" && call.path === "/invitees" ? "calendly:scheduling" : "calendly";
}

/** Zoom's create meeting and update meeting: 100 per user per day together (contract §3). */
export function isZoomMeetingWrite(call: { method: string; path: string }): boolean {
  return (
    (call.method === "POST" && call.path === "/users/me/meetings") ||
    (call.method === "PATCH" && /^\/meetings\/\d+$/.test(call.path))
  );
}

/**
 * The label of each Zoom endpoint Kairos calls (contract §6 and the fake's table): get, update and
 * delete meeting, users/me and past meeting details are Light; create meeting, the meetings list
 * and past participants are Medium. Nothing Kairos calls is Heavy yet; unknown paths go there, the
 * most careful gate.
 */
export function zoomGateFor(call: { method: string; path: string }): GateKey {
  if (isZoomMeetingWrite(call)) return "zoom:writes";
  if (call.path === "/users/me" || /^\/meetings\/\d+$/.test(call.path)) return "zoom:light";
  if (
    call.path === "/users/me/meetings" ||
    /^\/past_meetings\/[^/]+\/participants$/.test(call.path)
  )
    return "zoom:medium";
  if (/^\/past_meetings\/[^/]+$/.test(call.path)) return "zoom:light";
  return "zoom:heavy";
}

/**
 * Calls per minute a Zoom gate assumes before any answer says more: the Free plan's per-second
 * limit of its label (Light 4/s, Medium 2/s, Heavy 1/s); writes are as careful as Medium.
 */
export const ZOOM_ASSUMED_PER_MINUTE: Partial<Record<GateKey, number>> = {
  "zoom:light": 240,
  "zoom:medium": 120,
  "zoom:heavy": 60,
  "zoom:writes": 120,
  "zoom:oauth": 60,
};

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
