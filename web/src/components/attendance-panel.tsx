/**
 * A session's Zoom attendance: the host and each invitee with minutes in the meeting and the
 * verdict in plain words, unknown guests, and — for a proposed no-show — Confirm (marks the no-show
 * at Calendly) and Dismiss. `AttendancePanel` is props in; `SessionAttendance` fetches it for the
 * session page and re-reads after a decision.
 */
import { useState } from "preact/hooks";
import { type ApiError, api, read, type SuccessBody } from "../api";
import { useRequest } from "../use-request";
import { ErrorNotice, Spinner } from "./feedback";
import { toast } from "./toasts";

export type Attendance = SuccessBody<
  Awaited<ReturnType<(typeof api.sessions)[":id"]["attendance"]["$get"]>>
>;
type InviteeRow = Attendance["invitees"][number];

const VERDICT_TEXT: Record<InviteeRow["verdict"], string> = {
  attended: "Attended",
  late: "Late",
  no_show_proposed: "No-show? (proposed)",
  no_show: "No-show",
  unknown: "Unknown",
};
const VERDICT_BADGE: Record<InviteeRow["verdict"], string> = {
  attended: "badge-active",
  late: "badge-pending",
  no_show_proposed: "badge-pending",
  no_show: "badge-failed",
  unknown: "badge-canceled",
};

const clock = (iso: string | null, timeZone: string) =>
  iso
    ? new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone }).format(new Date(iso))
    : null;
const minutes = (m: number) => (m === 1 ? "1 min" : `${m} min`);

function inviteeDetail(i: InviteeRow, timeZone: string) {
  const at = clock(i.firstJoinAt, timeZone);
  if (i.waited && i.minutes === 0) return `Waited from ${at}; never admitted`;
  const parts = [at && `arrived ${at}`, `${minutes(i.minutes)} in the meeting`];
  if (i.waited) parts.push("waited first");
  if (i.matchedBy === "name") parts.push("matched by name");
  return parts.filter(Boolean).join(" · ");
}

export function AttendancePanel({
  attendance: a,
  names,
  timeZone,
  onDecide,
}: {
  attendance: Attendance;
  names: Record<string, string>;
  timeZone: string;
  onDecide: (inviteeId: string, decision: "confirm" | "dismiss") => Promise<void>;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const decide = async (inviteeId: string, decision: "confirm" | "dismiss") => {
    setBusy(`${decision}-${inviteeId}`);
    try {
      await onDecide(inviteeId, decision);
    } finally {
      setBusy(null);
    }
  };
  const host = a.host.present
    ? `Joined ${clock(a.host.firstJoinAt, timeZone)} · ${minutes(a.host.minutes)}${a.host.late ? " · late" : ""}`
    : a.host.noShow
      ? "Never joined while the client waited (host no-show)"
      : "Not seen in the meeting";
  return (
    <section class="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">Attendance</h2>
      {!a.final && <p class="muted">The meeting may still be running: verdicts are provisional.</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">Time</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>You (host)</td>
            <td>{host}</td>
            <td>
              {a.host.noShow ? (
                <span class="badge badge-failed">Host no-show</span>
              ) : (
                <span class={`badge ${a.host.present ? "badge-active" : "badge-canceled"}`}>
                  {a.host.present ? "Present" : "Unknown"}
                </span>
              )}
            </td>
          </tr>
          {a.invitees.map((i) => (
            <tr key={i.inviteeId} data-invitee={i.inviteeId}>
              <td>
                {names[i.inviteeId] ?? i.email}
                <div class="muted">{i.email}</div>
              </td>
              <td>{i.firstJoinAt ? inviteeDetail(i, timeZone) : "Not seen"}</td>
              <td>
                <span class={`badge ${VERDICT_BADGE[i.verdict]}`}>{VERDICT_TEXT[i.verdict]}</span>
                {i.review?.state === "dismissed" && <div class="muted">You dismissed it</div>}
                {i.review?.autoConfirmAt && i.verdict === "no_show_proposed" && (
                  <div class="muted">
                    Confirmed automatically at {clock(i.review.autoConfirmAt, timeZone)}
                  </div>
                )}
                {i.verdict === "no_show_proposed" && (
                  <div class="actions">
                    <button
                      type="button"
                      class="small"
                      disabled={busy !== null}
                      onClick={() => decide(i.inviteeId, "confirm")}
                    >
                      {busy === `confirm-${i.inviteeId}` ? "Confirming…" : "Confirm no-show"}
                    </button>
                    <button
                      type="button"
                      class="small secondary"
                      disabled={busy !== null}
                      onClick={() => decide(i.inviteeId, "dismiss")}
                    >
                      {busy === `dismiss-${i.inviteeId}` ? "Dismissing…" : "Dismiss"}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
          {a.guests.map((g) => (
            <tr key={`${g.name}|${g.email}`}>
              <td>
                {g.name || "Guest"} <span class="muted">(not matched to the booking)</span>
                {g.email && <div class="muted">{g.email}</div>}
              </td>
              <td>
                arrived {clock(g.firstJoinAt, timeZone)} · {minutes(g.minutes)}
              </td>
              <td>
                <span class="badge badge-canceled">Unknown guest</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The session page's attendance section: fetched here, shown only for a Zoom session. */
export function SessionAttendance({
  id,
  names,
  timeZone,
  started,
  onChange,
}: {
  id: string;
  names: Record<string, string>;
  timeZone: string;
  /** Before the start the panel appears only once Zoom reported someone (an early meeting). */
  started: boolean;
  onChange?: () => void;
}) {
  const req = useRequest(() => api.sessions[":id"].attendance.$get({ param: { id } }), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  if (req.state === "loading") return <Spinner label="Loading attendance…" />;
  if (req.state === "error") return <ErrorNotice error={req.error} onRetry={req.retry} />;
  const a = req.data;
  const seen =
    a.host.present || a.guests.length > 0 || a.invitees.some((i) => i.firstJoinAt !== null);
  if (!a.zoomMeeting || (!started && !seen)) return null;
  const onDecide = async (inviteeId: string, decision: "confirm" | "dismiss") => {
    setError(null);
    const route = api.sessions[":id"].attendance[":inviteeId"];
    try {
      const param = { param: { id, inviteeId } };
      await read(
        await (decision === "confirm" ? route.confirm.$post(param) : route.dismiss.$post(param)),
      );
      toast(decision === "confirm" ? "Marked as no-show in Calendly." : "Proposal dismissed.");
      req.retry();
      onChange?.();
    } catch (e) {
      setError(e as ApiError);
      toast((e as ApiError).message, "error");
    }
  };
  return (
    <>
      {error && <ErrorNotice error={error} />}
      <AttendancePanel
        attendance={req.data}
        names={names}
        timeZone={timeZone}
        onDecide={onDecide}
      />
    </>
  );
}
