/**
 * Upcoming sessions, a page at a time, kept live: the coach's CoachFeed pushes every booking change
 * over a WebSocket and the list reloads without a page refresh.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api } from "../api";
import { EmptyState, ErrorNotice, Spinner } from "../components/feedback";
import { useRequest } from "../use-request";

function useLiveVersion() {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (typeof WebSocket === "undefined") return;
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/feed`;
    const ws = new WebSocket(url);
    ws.onmessage = () => setVersion((v) => v + 1);
    return () => ws.close();
  }, []);
  return version;
}

export function SessionsPage({ timeZone }: { timeZone: string }) {
  const from = useMemo(() => new Date(Date.now() - 3_600_000).toISOString(), []);
  const [limit, setLimit] = useState(25);
  const live = useLiveVersion();
  const req = useRequest(
    () => api.sessions.$get({ query: { from, limit: String(limit) } }),
    [from, limit, live],
  );
  const format = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  });
  return (
    <section>
      <h1>Sessions</h1>
      {req.state === "loading" && <Spinner label="Loading sessions…" />}
      {req.state === "error" && <ErrorNotice error={req.error} onRetry={req.retry} />}
      {req.state === "ready" && req.data.items.length === 0 && (
        <EmptyState>
          No upcoming sessions. New bookings appear here the moment Calendly reports them.
        </EmptyState>
      )}
      {req.state === "ready" && req.data.items.length > 0 && (
        <>
          <ul class="cards" aria-live="polite">
            {req.data.items.map((s) => (
              <li
                key={s.id}
                class={`card ${s.status === "canceled" ? "canceled" : ""}`}
                data-session={s.id}
              >
                <div class="card-title">
                  <h2>{s.invitees.map((i) => i.name).join(", ") || s.name}</h2>
                  <span class={`badge badge-${s.status}`}>
                    {s.status === "canceled" ? "Canceled" : "Booked"}
                  </span>
                </div>
                <p class="muted">
                  {format.format(new Date(s.startTime))} · {s.name}
                  {s.invitees.some((i) => i.rescheduledFromSessionId) && " · rescheduled"}
                  {s.invitees.some((i) => i.noShow) && " · no-show"}
                  {s.invitees.some((i) => i.seriesId)
                    ? " · weekly series (booked on your site)"
                    : s.invitees.some((i) => i.bookedWithWidget) && " · booked on your site"}
                </p>
              </li>
            ))}
          </ul>
          {req.data.nextCursor && (
            <button
              type="button"
              onClick={() => setLimit((n) => Math.min(100, n + 25))}
              disabled={limit >= 100}
            >
              Show more
            </button>
          )}
        </>
      )}
    </section>
  );
}
