/** What Calendly and Zoom told Kairos recently, and whether each message was processed. */
import { api } from "../api";
import { useRequest } from "../use-request";
import { ErrorNotice, Spinner } from "./feedback";

const STATUS: Record<string, string> = {
  received: "waiting",
  processed: "processed",
  failed: "failed",
};

export function ActivityList() {
  const req = useRequest(() => api.activity.$get({ query: { limit: "20" } }), []);
  if (req.state === "loading") return <Spinner label="Loading activity…" />;
  if (req.state === "error") return <ErrorNotice error={req.error} onRetry={req.retry} />;
  if (req.data.items.length === 0)
    return (
      <p class="muted">Nothing received yet. New bookings show up here as Calendly reports them.</p>
    );
  return (
    <ul class="runs">
      {req.data.items.map((e) => (
        <li key={e.id}>
          <code>{e.event}</code> · {new Date(e.receivedAt).toLocaleString()} ·{" "}
          <span class={`badge badge-${e.status}`}>{STATUS[e.status] ?? e.status}</span>
        </li>
      ))}
    </ul>
  );
}
