/**
 * Short confirmations ("Session canceled") and failures, in one polite live region at the bottom of
 * every page. `toast()` can be called from anywhere; each message leaves after a few seconds.
 */
import { useEffect, useState } from "preact/hooks";

type Toast = { id: number; text: string; kind: "success" | "error" };
const listeners = new Set<(t: Toast) => void>();
let next = 0;

export function toast(text: string, kind: Toast["kind"] = "success") {
  const t = { id: next++, text, kind };
  for (const listener of listeners) listener(t);
}

export function Toasts() {
  const [items, setItems] = useState<Toast[]>([]);
  useEffect(() => {
    const add = (t: Toast) => {
      setItems((list) => [...list, t]);
      setTimeout(() => setItems((list) => list.filter((x) => x.id !== t.id)), 5_000);
    };
    listeners.add(add);
    return () => {
      listeners.delete(add);
    };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <p key={t.id} class={`toast toast-${t.kind}`}>
          {t.text}
        </p>
      ))}
    </div>
  );
}
