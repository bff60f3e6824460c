/**
 * One session: when, where, who — and what the coach can do about it: cancel with a reason (after a
 * confirmation; the client sees the reason) and mark or clear each invitee's no-show.
 */
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { type ApiError, api, read, type SuccessBody } from "../api";
import { SessionAttendance } from "../components/attendance-panel";
import { CopyButton } from "../components/copy-button";
import { ErrorNotice, Spinner } from "../components/feedback";
import { MessageHistory } from "../components/message-history";
import { toast } from "../components/toasts";
import { ZoomMeetingPanel } from "../components/zoom-meeting";
import { safeHref } from "../safe-href";
import { useRequest } from "../use-request";

export function SessionPage({ id, timeZone }: { id: string; timeZone: string }) {
  const req = useRequest(() => api.sessions[":id"].$get({ param: { id } }), [id]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reason, setReason] = useState("");

  if (req.state === "loading") return <Spinner label="Loading the session…" />;
  if (req.state === "error") return <ErrorNotice error={req.error} onRetry={req.retry} />;
  const s = req.data;
  const started = Date.parse(s.startTime) <= Date.now();
  const when = new Intl.DateTimeFormat(undefined, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone,
  }).format(new Date(s.startTime));

  const act = async (
    label: string,
    done: string,
    call: () => Promise<Parameters<typeof read>[0]>,
  ) => {
    setBusy(label);
    setError(null);
    try {
      await read(await call());
      toast(done);
      req.retry();
    } catch (e) {
      setError(e as ApiError);
      toast((e as ApiError).message, "error");
    } finally {
      setBusy(null);
    }
  };
  const cancel = (event: Event) => {
    event.preventDefault();
    if (!confirm("Cancel this session in Calendly? The client is told, with your reason.")) return;
    act("cancel", "Session canceled; the client has been told.", () =>
      api.sessions[":id"].cancel.$post({ param: { id }, json: { reason } }),
    );
  };

  return (
    <section>
      <p>
        <a href="/sessions">← Sessions</a>
      </p>
      <h1>{s.name}</h1>
      <p>
        {when} ({timeZone}) ·{" "}
        <span class={`badge badge-${s.status}`}>
          {s.status === "canceled" ? "Canceled" : "Booked"}
        </span>
      </p>
      {s.zoom && (
        <ZoomMeetingPanel
          zoom={s.zoom}
          startTime={s.startTime}
          endTime={s.endTime}
          upcoming={s.status === "active" && Date.parse(s.endTime) > Date.now()}
          timeZone={timeZone}
          onRetry={async () => {
            await read(await api.sessions[":id"].zoom.retry.$post({ param: { id } }));
            req.retry();
          }}
          onRecreate={async () => {
            await read(await api.sessions[":id"].zoom.recreate.$post({ param: { id } }));
            toast("New Zoom meeting made: send the client the new link.");
            req.retry();
          }}
        />
      )}
      {!s.zoom && safeHref(s.location?.joinUrl) && (
        <p>
          <a href={safeHref(s.location?.joinUrl)} target="_blank" rel="noopener">
            Join link
          </a>
        </p>
      )}
      <SessionAttendance
        id={id}
        names={Object.fromEntries(s.invitees.map((i) => [i.id, i.name]))}
        timeZone={timeZone}
        started={started}
        onChange={req.retry}
      />
      {error && <ErrorNotice error={error} />}
      <h2>Invitees</h2>
      <ul class="cards">
        {s.invitees.map((i) => (
          <li key={i.id} class="card">
            <div class="card-title">
              <h3>{i.name}</h3>
              {i.noShow && <span class="badge badge-failed">No-show</span>}
            </div>
            <p class="muted">
              {i.email}
              {i.timeZone && ` · ${i.timeZone}`}
              {i.status === "canceled" &&
                ` · canceled${i.cancelReason ? `: “${i.cancelReason}”` : ""}`}
              {i.seriesId && " · weekly series booked on your site"}
            </p>
            {i.payment && <p>{paymentText(i.payment)}</p>}
            {Object.keys(i.tracking).length > 0 && (
              <p class="muted">
                Came from{" "}
                {Object.entries(i.tracking)
                  .map(([k, v]) => `${k.replace("utm_", "")}: ${v}`)
                  .join(" · ")}
              </p>
            )}
            {i.rescheduledFromSessionId && (
              <p>
                <a href={`/sessions/${i.rescheduledFromSessionId}`}>
                  Moved here from an earlier time
                </a>
              </p>
            )}
            {i.rescheduledToSessionId && (
              <p>
                <a href={`/sessions/${i.rescheduledToSessionId}`}>Rescheduled: see the new time</a>
              </p>
            )}
            {i.rescheduleUrl && i.status === "active" && !started && (
              <p class="muted">
                Client's reschedule link{" "}
                <CopyButton text={i.rescheduleUrl} label={`Copy ${i.name}'s reschedule link`} />
              </p>
            )}
            {started && i.status === "active" && (
              <button
                type="button"
                class="small"
                disabled={busy !== null}
                onClick={() =>
                  act(`noshow-${i.id}`, i.noShow ? "No-show cleared." : "Marked as no-show.", () =>
                    api.sessions[":id"].invitees[":inviteeId"]["no-show"].$put({
                      param: { id, inviteeId: i.id },
                      json: { noShow: !i.noShow },
                    }),
                  )
                }
              >
                {busy === `noshow-${i.id}`
                  ? "Saving…"
                  : i.noShow
                    ? "Clear no-show"
                    : "Mark no-show"}
              </button>
            )}
          </li>
        ))}
      </ul>
      {s.status === "active" && !started && (
        <form onSubmit={cancel} class="card">
          <h2>Cancel this session</h2>
          <label for="cancel-reason">Reason (the client sees it)</label>
          <textarea
            id="cancel-reason"
            rows={2}
            required
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy !== null || !reason.trim()}>
            {busy === "cancel" ? "Canceling…" : "Cancel session"}
          </button>
        </form>
      )}
      <History
        id={id}
        version={s.status + s.invitees.map((i) => i.noShow).join()}
        timeZone={timeZone}
        invitees={s.invitees}
      />
      <MessageHistory sessionId={id} timeZone={timeZone} />
      <p>
        <a href={`/api/exports/sessions/${s.id}.ics`}>Download .ics</a>
      </p>
    </section>
  );
}

type Payment = NonNullable<
  SuccessBody<
    Awaited<ReturnType<(typeof api.sessions)[":id"]["$get"]>>
  >["invitees"][number]["payment"]
>;

/** "Paid 150.00 USD (stripe)", or why not. */
export function paymentText(p: Payment) {
  const amount =
    p.amount !== null && p.currency
      ? money(p.amount, p.currency)
      : "an amount Calendly did not report";
  const via = p.provider ? ` (${p.provider})` : "";
  if (p.successful === false) return `Payment of ${amount} failed${via}.`;
  if (p.successful === null) return `Payment of ${amount} pending${via}.`;
  return `Paid ${amount}${via}.`;
}

function money(amount: number, currency: string) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`; // not an ISO 4217 code
  }
}

const WHAT: Record<string, string> = {
  "booking.created": "Booked",
  "booking.canceled": "Canceled",
  "booking.rescheduled": "Rescheduled",
  "invitee.no_show_marked": "Marked as no-show",
  "invitee.no_show_cleared": "No-show cleared",
  "session.canceled": "You canceled it",
  "session.no_show_marked": "You marked a no-show",
  "session.no_show_cleared": "You cleared a no-show",
};

/** The session's history (Calendly's changes and the coach's actions) and the client's answers. */
function History(props: {
  id: string;
  version: string;
  timeZone: string;
  invitees: { id: string; name: string }[];
}) {
  const req = useRequest(
    () => api.sessions[":id"].history.$get({ param: { id: props.id } }),
    [props.id, props.version],
  );
  if (req.state === "loading") return <Spinner label="Loading history…" />;
  if (req.state === "error") return <ErrorNotice error={req.error} onRetry={req.retry} />;
  const when = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: props.timeZone,
  });
  // Group sessions: each client's answers under their name.
  const answered = props.invitees
    .map((i) => ({ ...i, answers: req.data.answers.filter((a) => a.inviteeId === i.id) }))
    .filter((i) => i.answers.length > 0);
  return (
    <>
      {answered.length > 0 && <h2>Answers</h2>}
      {answered.map((i) => (
        <Fragment key={i.id}>
          {answered.length > 1 && <h3>{i.name}</h3>}
          <dl class="facts answers">
            {i.answers.map((a) => (
              <Fragment key={a.question}>
                <dt>{a.question}</dt>
                <dd>{a.answer}</dd>
              </Fragment>
            ))}
          </dl>
        </Fragment>
      ))}
      <h2>History</h2>
      {req.data.entries.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <ol class="history">
          {req.data.entries.map((e) => (
            <li key={`${e.at}-${e.what}`}>
              {when.format(new Date(e.at))} — {WHAT[e.what] ?? e.what}
              {e.note && `: “${e.note}”`}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
