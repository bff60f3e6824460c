/**
 * A coach's connections as everyone shows them: the stored state (connected, needs_reconnect,
 * disconnected) combined with what their CoachGuard knows right now (a refresh in flight, a breaker
 * open or a 429 wait → `refreshing` / `degraded`). One function, so every screen agrees.
 * `missingScopes`: what Kairos needs but the Calendly grant lacks, listed while it must reconnect.
 * Zoom is always listed: a coach who never connected it sees it `disconnected`, with Connect.
 */
import { listConnections } from "../db/connections";
import { type ConnectionStatus, PROVIDERS } from "../db/schema";
import { coachGuard } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import type { ZoomPlan } from "../zoom/schemas";
import { missingCalendlyScopes } from "./calendly-scopes";

const iso = (d: Date | null) => d?.toISOString() ?? null;

type Row = Awaited<ReturnType<typeof listConnections>>[number];
const NEVER_CONNECTED_ZOOM: Row = {
  provider: "zoom",
  status: "disconnected",
  scopes: "",
  accessExpiresAt: null,
  lastRefreshedAt: null,
  lastError: null,
  webhookAvailability: "available",
  planType: null,
};

export async function liveConnections(env: Env, scope: CoachScope) {
  const [rows, guard] = await Promise.all([
    listConnections(scope),
    coachGuard(env, scope.coachId).status(),
  ]);
  const zoomRow = rows.some((r) => r.provider === "zoom") ? [] : [NEVER_CONNECTED_ZOOM];
  const ordered = [...rows, ...zoomRow].sort(
    (a, b) => PROVIDERS.indexOf(a.provider) - PROVIDERS.indexOf(b.provider),
  );
  return ordered.map((row) => {
    const live = guard[row.provider];
    const status: ConnectionStatus =
      row.status !== "connected"
        ? row.status
        : live.refreshing
          ? "refreshing"
          : live.degraded
            ? "degraded"
            : "connected";
    return {
      provider: row.provider,
      status,
      scopes: row.scopes.split(" ").filter(Boolean),
      missingScopes:
        // An empty column is a grant stored without a `scope` answer (legacy): nothing known.
        row.provider === "calendly" && row.status === "needs_reconnect" && row.scopes
          ? missingCalendlyScopes(row.scopes)
          : [],
      accessExpiresAt: iso(row.accessExpiresAt),
      lastRefreshedAt: iso(row.lastRefreshedAt),
      lastError: row.lastError ?? live.lastError?.message ?? null,
      lastErrorAt: row.lastError ? null : (live.lastError?.at ?? null),
      breaker: live.breaker,
      retryAt: live.retryAt,
      // Calendly only: whether the plan allows Kairos's webhooks (if not, reconcile stands in).
      webhooks: row.provider === "calendly" ? row.webhookAvailability : null,
      // Zoom only: the host's plan ("basic" hosts have no participants report).
      plan: row.provider === "zoom" ? (row.planType as ZoomPlan | null) : null,
    };
  });
}
