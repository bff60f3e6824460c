/**
 * Communication history: every message Kairos planned for a session (its whole booking chain) or a
 * client, with what happened to it (sent, skipped and why, failed), and a resend for sent ones.
 */
import { useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { useRequest } from "../use-request";
import { ErrorNotice, Spinner } from "./feedback";
import { toast } from "./toasts";

const KIND: Record<string, string> = {
  booking_confirmation: "Booking confirmation",
  reminder: "Reminder",
  reschedule_notice: "Reschedule notice",
  cancellation_notice: "Cancellation notice",
  modification_notice: "Session changed",
  follow_up: "Follow-up",
  feedback_request: "Feedback request",
  coach_new_booking: "New booking (to you)",
  coach_cancellation: "Cancellation (to you)",
};

const STATUS: Record<string, string> = {
  planned: "Scheduled",
  claimed: "Sending",
  sent: "Sent",
  skipped: "Not sent",
  revoked: "Withdrawn",
  failed: "Failed",
};

/** Why a message did not go out, in the coach's words. */
const REASON: Record<string, string> = {
  too_late: "its time had passed (never sent late)",
  session_moved: "the session moved; the new time has its own",
  canceled: "the session was canceled",
  canceled_before_sent: "the session was canceled before it went out",
  superseded: "a later change's message replaced it",
  not_canceled: "the session is not canceled",
  unsubscribed: "the client unsubscribed from these",
  suppressed_bounce: "the address bounced",
  suppressed_complaint: "the client marked mail as spam",
};

export function MessageHistory(props: { sessionId?: string; client?: string; timeZone?: string }) {
  const [version, setVersion] = useState(0);
  const req = useRequest(
    () =>
      api.messages.$get({
        query: props.sessionId ? { sessionId: props.sessionId } : { client: props.client },
      }),
    [props.sessionId, props.client, version],
  );
  const [busy, setBusy] = useState<string | null>(null);
  if (req.state === "loading") return <Spinner label="Loading messages…" />;
  if (req.state === "error") return <ErrorNotice error={req.error} onRetry={req.retry} />;
  const when = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: props.timeZone,
  });
  async function resend(id: string) {
    setBusy(id);
    try {
      await read(await api.messages[":id"].resend.$post({ param: { id } }));
      toast("Sent again.");
      setVersion((v) => v + 1);
    } catch (err) {
      toast((err as ApiError).message, "error");
    } finally {
      setBusy(null);
    }
  }
  const items = req.data.items;
  return (
    <section aria-labelledby="messages-heading">
      <h2 id="messages-heading">Messages</h2>
      {items.length === 0 ? (
        <p class="muted">No messages yet.</p>
      ) : (
        <ol class="history messages">
          {items.map((m) => (
            <li key={m.id}>
              <strong>{KIND[m.kind] ?? m.kind}</strong> to {m.to} — {STATUS[m.status] ?? m.status}
              {m.status === "sent" && m.sentAt && ` ${when.format(new Date(m.sentAt))}`}
              {m.status === "planned" && ` for ${when.format(new Date(m.dueAt))}`}
              {m.skipReason && ` (${REASON[m.skipReason] ?? m.skipReason})`}
              {m.status === "failed" && m.lastError && ` (${m.lastError})`}
              {m.resendOf && " · resent by you"}
              {m.subject && <div class="muted">{m.subject}</div>}
              {m.status === "sent" && (
                <button
                  type="button"
                  class="link"
                  disabled={busy === m.id}
                  onClick={() => resend(m.id)}
                >
                  {busy === m.id ? "Sending…" : "Resend"}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
