/** Home: the coach's Calendly event types, with booking links to copy and a refresh from Calendly. */
import { useState } from "preact/hooks";
import { api } from "../api";
import { CopyButton } from "../components/copy-button";
import { EmptyState, ErrorNotice, Spinner } from "../components/feedback";
import { useRequest } from "../use-request";

const badge = (et: { active: boolean; secret: boolean }) =>
  !et.active ? "inactive" : et.secret ? "secret" : "active";

export function EventTypesPage() {
  const [refresh, setRefresh] = useState(0);
  const req = useRequest(
    () => api["event-types"].$get({ query: refresh ? { refresh: "true" } : {} }),
    [refresh],
  );
  return (
    <section>
      <div class="page-head">
        <h1>Event types</h1>
        <button
          type="button"
          onClick={() => setRefresh((n) => n + 1)}
          disabled={req.state === "loading"}
        >
          Refresh from Calendly
        </button>
      </div>
      {req.state === "loading" && <Spinner label="Loading event types…" />}
      {req.state === "error" && <ErrorNotice error={req.error} onRetry={req.retry} />}
      {req.state === "ready" && req.data.items.length === 0 && (
        <EmptyState>No event types yet — create one in Calendly, then refresh.</EmptyState>
      )}
      {req.state === "ready" && req.data.items.length > 0 && (
        <ul class="cards">
          {req.data.items.map((et) => (
            <li key={et.id} class="card">
              <div class="card-title">
                <h2>{et.name}</h2>
                <span class={`badge badge-${badge(et)}`}>{badge(et)}</span>
              </div>
              <p class="muted">
                {et.durationMinutes} min · {et.kind === "group" ? "Group" : "One-on-one"}
              </p>
              <div class="link-row">
                <a href={et.schedulingUrl} target="_blank" rel="noreferrer" class="truncate">
                  {et.schedulingUrl}
                </a>
                <CopyButton text={et.schedulingUrl} label={`Copy booking link for ${et.name}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
