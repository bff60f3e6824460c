/** /manage/:token — the client's own view of one booking: details, cancel (confirmed), reschedule. */
import { useEffect, useState } from "preact/hooks";
import { safeHref } from "../src/safe-href";
import { type Booking, cancelBooking, getBooking, type Problem } from "./api";
import { Failure } from "./booking-flow";
import { emit } from "./embed";
import { detectedTimeZone, fullLabel } from "./format";

export function ManageBooking({ token }: { token: string }) {
  const [booking, setBooking] = useState<Booking | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const load = () => {
    setProblem(null);
    getBooking(token).then(setBooking, setProblem);
  };
  useEffect(load, [token]);

  if (problem && !booking) return <Failure problem={problem} onRetry={load} />;
  if (!booking)
    return (
      <p class="muted" role="status">
        Loading your booking…
      </p>
    );
  const upcoming = booking.status === "booked" && Date.parse(booking.startTime) > Date.now();

  const cancel = async (event: Event) => {
    event.preventDefault();
    if (!confirm("Cancel this session? The coach will be told.")) return;
    setBusy(true);
    try {
      const canceled = await cancelBooking(token, reason);
      setBooking(canceled);
      emit("canceled", { id: canceled.id, startTime: canceled.startTime });
    } catch (err) {
      setProblem(err as Problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{booking.eventType.name}</h1>
      <p>
        with {booking.coach.name}
        <br />
        {fullLabel(booking.startTime, detectedTimeZone())}
      </p>
      <p class={`status ${booking.status}`}>
        {booking.status === "canceled"
          ? "This session is canceled."
          : upcoming
            ? "You're booked."
            : "This session has passed."}
      </p>
      {upcoming && (
        <>
          <p class="links">
            <a href={booking.icsUrl}>Add to calendar (.ics)</a>
            {safeHref(booking.rescheduleUrl) && (
              <a href={safeHref(booking.rescheduleUrl)}>Reschedule</a>
            )}
          </p>
          <form onSubmit={cancel}>
            <label class="field">
              Reason for canceling (optional)
              <textarea rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            {problem && <Failure problem={problem} />}
            <button type="submit" disabled={busy}>
              {busy ? "Canceling…" : "Cancel this session"}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
