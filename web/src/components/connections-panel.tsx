/**
 * Settings → Connections: each provider's live state in plain words (status, permissions and any
 * missing ones, last refresh, breaker, last problem) with Reconnect and Disconnect; Zoom also with
 * Connect, and the outcome of a Zoom connect (`/settings?zoom=…`). Re-checks every 30 s while a
 * connection is renewing or degraded, so the coach watches it recover.
 */
import { useEffect } from "preact/hooks";
import { api, clockTime, type SuccessBody } from "../api";
import { useRequest } from "../use-request";
import { DisconnectButton } from "./disconnect-button";
import { ErrorNotice, Spinner } from "./feedback";
import { ZoomDisconnectButton } from "./zoom-disconnect-button";

type Connection = SuccessBody<Awaited<ReturnType<typeof api.connections.$get>>>["items"][number];

export const STATUS_LABEL: Record<Connection["status"], string> = {
  connected: "Connected",
  refreshing: "Renewing access…",
  degraded: "Working, but the provider is slow or limiting requests",
  needs_reconnect: "Needs reconnecting — Kairos can no longer reach your account",
  disconnected: "Disconnected",
};

const MISSING_ACCESS_LABEL = "Needs reconnecting — Kairos is missing permissions";

/** What a coach on a Calendly plan without webhooks gets instead (reconcile every 15 minutes). */
export const NO_WEBHOOKS_NOTICE =
  "Your Calendly plan does not let Kairos receive instant updates (webhooks). Kairos checks Calendly every 15 minutes instead, so new bookings, cancellations and reschedules appear here within 15 minutes, and reminders always follow the latest times. Upgrading your Calendly plan turns instant updates on by itself.";

const PROVIDER_NAME = { calendly: "Calendly", zoom: "Zoom" } as const;

/** What came of a Zoom connect, from /oauth/zoom/callback's redirect. */
export const ZOOM_OUTCOME: Record<string, { ok: boolean; text: string }> = {
  connected: { ok: true, text: "Zoom is connected." },
  access_denied: { ok: false, text: "Zoom was not connected: access was declined in Zoom." },
  code_rejected: { ok: false, text: "Zoom did not accept the sign-in. Please try again." },
  state_mismatch: {
    ok: false,
    text: "That Zoom sign-in had expired or came from another window. Please try again.",
  },
  invalid_callback: {
    ok: false,
    text: "Zoom sent Kairos back without an answer. Please try again.",
  },
  zoom_error: { ok: false, text: "Zoom could not be reached just now. Please try again shortly." },
};

export const BASIC_PLAN_NOTICE =
  "Your Zoom plan is Basic: Zoom shares no participant reports on it, so attendance comes only from live meeting events.";

function ZoomOutcome() {
  const outcome = ZOOM_OUTCOME[new URLSearchParams(window.location.search).get("zoom") ?? ""];
  if (!outcome) return null;
  return (
    <p class={`notice ${outcome.ok ? "notice-info" : "notice-error"}`} role="status">
      {outcome.text}
    </p>
  );
}

function ZoomActions({ c }: { c: Connection }) {
  if (c.status === "disconnected")
    return (
      <div class="actions">
        <a class="button small primary" href="/oauth/zoom/start">
          Connect Zoom
        </a>
      </div>
    );
  return (
    <div class="actions">
      <a class="button small" href="/oauth/zoom/start">
        Reconnect
      </a>
      <ZoomDisconnectButton />
    </div>
  );
}
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");
const UNSETTLED = new Set(["refreshing", "degraded"]);

function breakerText(c: Connection) {
  const name = PROVIDER_NAME[c.provider];
  const at = c.retryAt ? clockTime(c.retryAt) : null;
  if (c.breaker === "open") return `${name} is not responding; we will retry at ${at ?? "soon"}.`;
  if (c.breaker === "half_open") return `Testing ${name} with a single call before resuming.`;
  if (at) return `${name} asked Kairos to slow down; we will retry at ${at}.`;
  return "Calls are flowing normally.";
}

export function ConnectionsPanel() {
  const request = useRequest(() => api.connections.$get(), []);
  const unsettled =
    request.state === "ready" && request.data.items.some((c) => UNSETTLED.has(c.status));
  useEffect(() => {
    if (!unsettled || request.state !== "ready") return;
    const timer = setInterval(request.retry, 30_000);
    return () => clearInterval(timer);
  }, [unsettled]);

  if (request.state === "loading") return <Spinner label="Checking your connections…" />;
  if (request.state === "error")
    return <ErrorNotice error={request.error} onRetry={request.retry} />;
  return (
    <>
      <ZoomOutcome />
      <ul class="cards">
        {request.data.items.map((c) => (
          <li key={c.provider} class="card">
            <div class="card-title">
              <h3>{PROVIDER_NAME[c.provider]}</h3>
              <span class={`badge badge-${c.status}`}>
                {c.missingScopes.length ? MISSING_ACCESS_LABEL : STATUS_LABEL[c.status]}
              </span>
            </div>
            <dl class="facts">
              <dt>Last refreshed</dt>
              <dd>{when(c.lastRefreshedAt)}</dd>
              <dt>Requests</dt>
              <dd>{breakerText(c)}</dd>
            </dl>
            {c.lastError && (
              <p class={`notice ${c.status === "connected" ? "notice-info" : "notice-error"}`}>
                {c.status === "connected" ? "Last problem (recovered): " : ""}
                {c.lastError}
                {c.lastErrorAt && ` — ${when(c.lastErrorAt)}`}
              </p>
            )}
            {c.plan === "basic" && <p class="notice notice-info">{BASIC_PLAN_NOTICE}</p>}
            {c.webhooks === "unavailable_on_plan" && (
              <p class="notice notice-info">{NO_WEBHOOKS_NOTICE}</p>
            )}
            {c.provider === "calendly" && (
              <div class="actions">
                <a class="button small" href="/oauth/calendly/start">
                  Reconnect
                </a>
                {c.status !== "disconnected" && <DisconnectButton />}
              </div>
            )}
            {c.provider === "zoom" && <ZoomActions c={c} />}
            {c.missingScopes.length > 0 && (
              <p class="notice notice-error">
                Missing permissions: {c.missingScopes.join(", ")}. Reconnect and keep every
                permission Kairos asks for ticked.
              </p>
            )}
            <details>
              <summary>Permissions ({c.scopes.length})</summary>
              <p class="muted">{c.scopes.join(", ") || "none"}</p>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
