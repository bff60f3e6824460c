import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { useRequest } from "../use-request";

/** How many open slots the saved hours give this week and next, and how fresh that count is. */
export function SlotsAge({ eventTypeId, revision }: { eventTypeId: string; revision: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 14 * 86_400_000).toISOString();
  const slots = useRequest(
    () => api.availability.$get({ query: { eventType: eventTypeId, from, to } }),
    [eventTypeId, revision],
  );
  if (slots.state !== "ready") return null;
  const minutes = Math.max(0, Math.round((now - Date.parse(slots.data.updatedAt)) / 60_000));
  return (
    <p class="muted" data-testid="slots-age">
      {slots.data.slots.length} open slots in the next two weeks · updated{" "}
      {minutes === 0 ? "just now" : `${minutes} min ago`}
    </p>
  );
}
