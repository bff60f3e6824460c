/**
 * The selection toolbar of the Sessions list: mark the selected past sessions as no-shows, cancel
 * the selected upcoming ones with one reason, or export any selection (each session is refreshed
 * from Calendly first, then offered as CSV and .ics). The batch runs in the background; a progress
 * bar and a result per session show how it went.
 */
import { useEffect, useState } from "preact/hooks";
import { type ApiError, api, read, type SuccessBody } from "../api";
import { ErrorNotice, Spinner } from "./feedback";

type Batch = SuccessBody<Awaited<ReturnType<(typeof api.batches)[":id"]["$get"]>>>;

/** "Thu 10 Dec, 15:00" in the coach's zone (the browser's when none is given). */
const whenFormat = (timeZone?: string) =>
  new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });

type Item = Batch["items"][number];

/** "Coaching Session · Thu 10 Dec, 15:00 — done (Up to date with Calendly)". */
function itemLine(i: Item, when: Intl.DateTimeFormat) {
  const label =
    i.name && i.startTime ? `${i.name} · ${when.format(new Date(i.startTime))}` : i.sessionId;
  const result =
    i.status === "pending"
      ? "…"
      : i.status === "failed"
        ? (i.message ?? "failed")
        : i.message
          ? `done (${i.message})`
          : "done";
  return `${label} — ${result}`;
}

/** Shows a running batch: a progress bar, then a result per session (and an export's files). */
export function BatchProgress({
  batchId,
  onDone,
  timeZone,
}: {
  batchId: string;
  onDone: () => void;
  timeZone: string;
}) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const next = await read(await api.batches[":id"].$get({ param: { id: batchId } }));
        if (!live) return;
        setBatch(next);
        if (!next.finished) setTimeout(poll, 1_000);
      } catch (e) {
        if (live) setError(e as ApiError);
      }
    };
    poll();
    return () => {
      live = false;
    };
  }, [batchId]);
  if (error) return <ErrorNotice error={error} />;
  if (!batch) return <p role="status">Starting…</p>;
  const settled = batch.succeeded + batch.failed;
  const when = whenFormat(timeZone);
  const files = `/api/batches/${encodeURIComponent(batch.id)}/sessions`;
  return (
    <div class="card batch" role="status" aria-live="polite">
      <p>
        {batch.finished ? "Done" : "Working"}: {settled} of {batch.total}
        {batch.failed > 0 && ` (${batch.failed} failed)`}
      </p>
      <progress max={batch.total} value={settled} />
      <ul class="results">
        {batch.items.map((i) => (
          <li key={i.sessionId} class={i.status}>
            {itemLine(i, when)}
          </li>
        ))}
      </ul>
      {batch.action === "export" && batch.finished && (
        <p class="batch-downloads">
          <a class="button small" href={`${files}.csv`} download>
            Download CSV
          </a>
          <a class="button small" href={`${files}.ics`} download>
            Download .ics
          </a>
        </p>
      )}
      {batch.finished && (
        <button type="button" onClick={onDone}>
          Close
        </button>
      )}
    </div>
  );
}

/** "Emergency day off": cancel every upcoming session of one day, with one reason. */
export function DayOff({ day, timeZone }: { day: string; timeZone: string }) {
  const [reason, setReason] = useState("");
  const [batchId, setBatchId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (batchId)
    return <BatchProgress batchId={batchId} onDone={() => setBatchId(null)} timeZone={timeZone} />;
  const start = async () => {
    if (!confirm(`Cancel every upcoming session on ${day}? Each client is told, with your reason.`))
      return;
    setError(null);
    try {
      const started = await read(
        await api.batches.$post({ json: { action: "cancel", day, reason } }),
      );
      setBatchId(started.id);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div class="card batch">
      <label for="day-off-reason">Emergency day off: reason for canceling all of {day}</label>
      <input id="day-off-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <button type="button" onClick={start} disabled={!reason.trim()}>
        Cancel the whole day
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

export function BatchBar(props: {
  sessionIds: string[];
  past: boolean;
  onDone: () => void;
  /** The coach's zone, for the results' times. */
  timeZone: string;
}) {
  const [reason, setReason] = useState("");
  const [batchId, setBatchId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const start = async (action: "cancel" | "no_show" | "export") => {
    const count = props.sessionIds.length;
    const question =
      action === "cancel"
        ? `Cancel ${count} session(s) in Calendly? Each client is told, with your reason.`
        : action === "no_show"
          ? `Mark ${count} session(s) as no-shows in Calendly?`
          : null; // an export changes nothing: no need to ask
    if (question && !confirm(question)) return;
    setError(null);
    setStarting(true);
    try {
      const started = await read(
        await api.batches.$post({
          json: {
            action,
            sessionIds: props.sessionIds,
            ...(reason && action === "cancel" ? { reason } : {}),
          },
        }),
      );
      setBatchId(started.id);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setStarting(false);
    }
  };

  if (batchId)
    return <BatchProgress batchId={batchId} onDone={props.onDone} timeZone={props.timeZone} />;
  return (
    <div class="card batch" aria-busy={starting}>
      <p>{props.sessionIds.length} selected</p>
      <button type="button" onClick={() => start("export")} disabled={starting}>
        Export selected
      </button>
      {props.past ? (
        <button type="button" onClick={() => start("no_show")} disabled={starting}>
          Mark as no-show
        </button>
      ) : (
        <>
          <label for="batch-reason">Reason for canceling (the clients see it)</label>
          <input
            id="batch-reason"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button
            type="button"
            onClick={() => start("cancel")}
            disabled={starting || !reason.trim()}
          >
            Cancel selected
          </button>
        </>
      )}
      {starting && <Spinner label="Starting…" />}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
