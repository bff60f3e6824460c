/**
 * Reconciliation for the coach: how often Kairos compares Calendly with its copy, "Sync now", and
 * the recent runs with live progress (polled every 2 s while one is running).
 */
import { useEffect, useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { useRequest } from "../use-request";
import { ErrorNotice, Spinner } from "./feedback";

const INTERVALS = [15, 30, 60, 120, 360, 720, 1440];
const label = (m: number) => (m < 60 ? `${m} minutes` : m === 60 ? "1 hour" : `${m / 60} hours`);
const KIND: Record<string, string> = {
  import: "First import",
  scheduled: "Scheduled",
  manual: "Sync now",
};

export function SyncPanel() {
  const [version, setVersion] = useState(0);
  const runs = useRequest(() => api["sync-runs"].$get(), [version]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = runs.state === "ready" && runs.data.items.some((r) => r.status === "running");

  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => setVersion((v) => v + 1), 2000);
    return () => clearTimeout(timer);
  }, [running, version]);

  const act = async (call: () => Promise<Parameters<typeof read>[0]>) => {
    setBusy(true);
    setError(null);
    try {
      await read(await call());
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  if (runs.state === "loading") return <Spinner label="Loading sync history…" />;
  if (runs.state === "error") return <ErrorNotice error={runs.error} onRetry={runs.retry} />;
  const { items, intervalMinutes } = runs.data;
  return (
    <div class="card">
      <div class="card-title">
        <h3>Sync with Calendly</h3>
        <button
          type="button"
          disabled={busy || running}
          onClick={() => act(() => api.sync.$post())}
        >
          {running ? "Syncing…" : "Sync now"}
        </button>
      </div>
      <label class="muted">
        Check Calendly every{" "}
        <select
          value={intervalMinutes}
          disabled={busy}
          onChange={(e) => {
            const minutes = Number((e.target as HTMLSelectElement).value);
            act(() => api["sync-settings"].$put({ json: { intervalMinutes: minutes } }));
          }}
        >
          {INTERVALS.map((m) => (
            <option key={m} value={m}>
              {label(m)}
            </option>
          ))}
        </select>
      </label>
      {error && <ErrorNotice error={error} />}
      {items.length === 0 ? (
        <p class="muted">No syncs yet.</p>
      ) : (
        <ul class="runs">
          {items.slice(0, 5).map((r) => (
            <li key={r.id}>
              <strong>{KIND[r.kind] ?? r.kind}</strong> · {new Date(r.startedAt).toLocaleString()} ·{" "}
              {r.status === "running"
                ? `in progress — ${r.recordsSeen} checked so far`
                : r.status === "failed"
                  ? `failed: ${r.error}`
                  : `${r.recordsSeen} checked, ${r.recordsFixed} repaired`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
