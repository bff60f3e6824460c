/**
 * Home: the coach's Calendly event types, with booking links to copy, a refresh from Calendly, each
 * type's weekly hours and how booked it is this week and next, and its video meeting (Zoom or none).
 */
import { useState } from "preact/hooks";
import { api, read, type SuccessBody } from "../api";
import { CopyButton } from "../components/copy-button";
import { EmptyState, ErrorNotice, Skeleton } from "../components/feedback";
import { ZoomConferencing } from "../components/zoom-conferencing";
import { safeHref } from "../safe-href";
import { useRequest } from "../use-request";

const badge = (et: { active: boolean; secret: boolean }) =>
  !et.active ? "inactive" : et.secret ? "secret" : "active";

export function EventTypesPage({ zoomConnected = false }: { zoomConnected?: boolean }) {
  const [refresh, setRefresh] = useState(0);
  const req = useRequest(
    // Refreshing is a POST: a GET must never make Kairos call Calendly on the coach's behalf.
    () => (refresh ? api["event-types"].refresh.$post() : api["event-types"].$get()),
    [refresh],
  );
  const insights = useRequest(() => api.availability.insights.$get(), [refresh]);
  const insightOf = (id: string) =>
    insights.state === "ready" ? insights.data.items.find((i) => i.eventTypeId === id) : undefined;
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
      {req.state === "loading" && <Skeleton label="Loading event types…" />}
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
              <Insights insight={insightOf(et.id)} loading={insights.state === "loading"} />
              <div class="link-row">
                <a
                  href={safeHref(et.schedulingUrl)}
                  target="_blank"
                  rel="noreferrer"
                  class="truncate"
                >
                  {et.schedulingUrl}
                </a>
                <CopyButton text={et.schedulingUrl} label={`Copy booking link for ${et.name}`} />
              </div>
              {et.conferencing && (
                <ZoomConferencing
                  key={JSON.stringify(et.conferencing)}
                  name={et.name}
                  value={et.conferencing}
                  zoomConnected={zoomConnected}
                  onSave={async (change) =>
                    read(
                      await api["event-types"][":id"].conferencing.$put({
                        param: { id: et.id },
                        json: change,
                      }),
                    )
                  }
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Insight = SuccessBody<
  Awaited<ReturnType<typeof api.availability.insights.$get>>
>["items"][number];

const percent = (ratio: number | null) => (ratio === null ? "—" : `${Math.round(ratio * 100)}%`);
const DAY = (wday: string) => wday.slice(0, 1).toUpperCase() + wday.slice(1, 3);

function Insights({ insight, loading }: { insight?: Insight; loading: boolean }) {
  if (loading) return <p class="muted">Reading hours…</p>;
  if (!insight) return null;
  if (insight.error) return <p class="muted">Hours unavailable: {insight.error}</p>;
  return (
    <div class="insights">
      <p class="muted">
        {insight.weekdays
          .map((d) => `${DAY(d.wday)} ${d.intervals.map((i) => `${i.from}–${i.to}`).join(", ")}`)
          .join(" · ") || "No weekly hours"}
      </p>
      <p>
        <strong>{insight.weeklyHours} h</strong> a week · booked{" "}
        <strong>{percent(insight.thisWeek?.ratio ?? null)}</strong> this week (
        {insight.thisWeek?.bookedHours} of {insight.thisWeek?.availableHours} h),{" "}
        <strong>{percent(insight.nextWeek?.ratio ?? null)}</strong> next week
      </p>
    </div>
  );
}
