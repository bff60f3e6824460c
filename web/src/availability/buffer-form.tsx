import { useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { ErrorNotice } from "../components/feedback";
import { toast } from "../components/toasts";

const BUFFER_CHOICES = [0, 5, 10, 15, 30, 45, 60, 90, 120, 150, 180];

/** Free minutes Calendly keeps before and after each booking of this (one-on-one) type. */
export function BufferForm(props: { eventTypeId: string; before: number; after: number }) {
  const [before, setBefore] = useState(props.before);
  const [after, setAfter] = useState(props.after);
  const [saved, setSaved] = useState({ before: props.before, after: props.after });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await read(
        await api["event-types"][":id"].buffers.$put({
          param: { id: props.eventTypeId },
          json: { before, after },
        }),
      );
      setSaved(next);
      toast("Buffers saved to Calendly.");
    } catch (e) {
      setError(e as ApiError);
      setBefore(saved.before);
      setAfter(saved.after);
    } finally {
      setBusy(false);
    }
  };
  const select = (value: number, set: (n: number) => void, id: string) => (
    <select id={id} value={value} onChange={(e) => set(Number(e.currentTarget.value))}>
      {BUFFER_CHOICES.map((n) => (
        <option key={n} value={n}>
          {n} min
        </option>
      ))}
    </select>
  );
  return (
    <form class="toolbar" onSubmit={save} aria-label="Buffers">
      <label for="buffer-before">Buffer before</label>
      {select(before, setBefore, "buffer-before")}
      <label for="buffer-after">Buffer after</label>
      {select(after, setAfter, "buffer-after")}
      <button type="submit" disabled={busy || (before === saved.before && after === saved.after)}>
        {busy ? "Saving…" : "Save buffers"}
      </button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
