/**
 * The selection toolbar of the Sessions list: mark the selected past sessions as no-shows, or cancel
 * the selected upcoming ones with one reason. The batch runs in the background; a progress bar and a
 * result per session show how it went.
 */
import { useEffect, useState } from "preact/hooks";
import { type ApiError, api, read, type SuccessBody } from "../api";
import { ErrorNotice } from "./feedback";

type Batch = SuccessBody<Awaited<ReturnType<(typeof api.batches)[":id"]["$get"]>>>;

/** Shows a running batch: a progress bar, then a result per session. */
export function BatchProgress({ batchId, onDone }: { batchId: string; onDone: () => void }) {
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
            {i.sessionId}: {i.status === "done" ? "done" : i.status === "failed" ? i.message : "…"}
          </li>
        ))}
      </ul>
      {batch.finished && (
        <button type="button" onClick={onDone}>
          Close
        </button>
      )}
    </div>
  );
}

/** "Emergency day off": cancel every upcoming session of one day, with one reason. */
export function DayOff({ day }: { day: string }) {
  const [reason, setReason] = useState("");
  const [batchId, setBatchId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (batchId) return <BatchProgress batchId={batchId} onDone={() => setBatchId(null)} />;
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

export function BatchBar(props: { sessionIds: string[]; past: boolean; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [batchId, setBatchId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const start = async (action: "cancel" | "no_show") => {
    const count = props.sessionIds.length;
    const question =
      action === "cancel"
        ? `Cancel ${count} session(s) in Calendly? Each client is told, with your reason.`
        : `Mark ${count} session(s) as no-shows in Calendly?`;
    if (!confirm(question)) return;
    setError(null);
    try {
      const started = await read(
        await api.batches.$post({
          json: { action, sessionIds: props.sessionIds, ...(reason ? { reason } : {}) },
        }),
      );
      setBatchId(started.id);
    } catch (e) {
      setError(e as ApiError);
    }
  };

  if (batchId) return <BatchProgress batchId={batchId} onDone={props.onDone} />;
  return (
    <div class="card batch">
      <p>{props.sessionIds.length} selected</p>
      {props.past ? (
        <button type="button" onClick={() => start("no_show")}>
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
          <button type="button" onClick={() => start("cancel")} disabled={!reason.trim()}>
            Cancel selected
          </button>
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
