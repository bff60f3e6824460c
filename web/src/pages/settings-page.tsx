/** Settings: who the coach is in Calendly, and the state of each connection in plain words. */
import type { Coach } from "../app";
import { ActivityList } from "../components/activity-list";
import { DisconnectButton } from "../components/disconnect-button";
import { SyncPanel } from "../components/sync-panel";

const STATUS: Record<string, string> = {
  connected: "Connected",
  refreshing: "Renewing access…",
  degraded: "Working, but the provider is slow or limiting requests",
  needs_reconnect: "Needs reconnecting — Kairos can no longer reach your account",
  disconnected: "Disconnected",
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

export function SettingsPage({ coach }: { coach: Coach }) {
  return (
    <section>
      <h1>Settings</h1>
      <h2>Account</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{coach.name}</dd>
        <dt>Email</dt>
        <dd>{coach.email}</dd>
        <dt>Time zone</dt>
        <dd>{coach.timeZone}</dd>
        <dt>Calendly user</dt>
        <dd class="truncate">{coach.calendlyUserUri}</dd>
      </dl>
      <h2>Connections</h2>
      <ul class="cards">
        {coach.connections.map((c) => (
          <li key={c.provider} class="card">
            <div class="card-title">
              <h3>{c.provider === "calendly" ? "Calendly" : "Zoom"}</h3>
              <span class={`badge badge-${c.status}`}>{STATUS[c.status] ?? c.status}</span>
            </div>
            <p class="muted">Last refreshed: {when(c.lastRefreshedAt)}</p>
            {c.lastError && <p class="notice notice-error">{c.lastError}</p>}
            {c.provider === "calendly" && c.status !== "disconnected" && <DisconnectButton />}
            <details>
              <summary>Permissions ({c.scopes.length})</summary>
              <p class="muted">{c.scopes.join(", ") || "none"}</p>
            </details>
          </li>
        ))}
      </ul>
      <h2>Sync</h2>
      <SyncPanel />
      <h2>Recent activity</h2>
      <ActivityList />
    </section>
  );
}
