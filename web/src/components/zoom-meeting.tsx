/**
 * A session's Zoom meeting: the badge for lists, and the panel for the session page — status in
 * plain words ("Zoom meeting not created yet — retrying at 14:05"), Join (open from 15 minutes
 * before the start until the end), copy link, passcode, Retry and Recreate (with a confirmation:
 * the client's old link stops working). Props in; the page does the requests.
 */
import { useState } from "preact/hooks";
import type { ApiError } from "../api";
import { safeHref } from "../safe-href";
import { CopyButton } from "./copy-button";
import { ErrorNotice } from "./feedback";

export type SessionZoom = {
  meetingId: string | null;
  joinUrl: string | null;
  passcode: string | null;
  status: "creating" | "ready" | "failed" | "deleted";
  error?: string;
  retryAt?: string;
};

const JOIN_EARLY_MS = 15 * 60_000;

/** Join is offered from 15 minutes before the start until the end. */
export function joinOpen(startTime: string, endTime: string, now = Date.now()) {
  return now >= Date.parse(startTime) - JOIN_EARLY_MS && now <= Date.parse(endTime);
}

const hhmm = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(iso));

/** The meeting's state as one sentence. */
export function zoomStatusText(z: SessionZoom, timeZone: string): string {
  switch (z.status) {
    case "ready":
      return "Zoom meeting ready";
    case "creating":
      return "Creating the Zoom meeting…";
    case "deleted":
      return "Zoom meeting deleted";
    case "failed": {
      const what = z.meetingId ? "Zoom meeting not updated yet" : "Zoom meeting not created yet";
      if (z.retryAt) return `${what} — retrying at ${hhmm(z.retryAt, timeZone)}`;
      return `${what}${z.error ? ` — ${z.error}` : ""}`;
    }
  }
}

const BADGE = { ready: "active", creating: "secret", failed: "failed", deleted: "inactive" };

export function ZoomBadge({ zoom, timeZone }: { zoom: SessionZoom | null; timeZone: string }) {
  if (!zoom) return null;
  const label = zoom.status === "ready" ? "Zoom" : `Zoom: ${zoom.status}`;
  return (
    <span class={`badge badge-${BADGE[zoom.status]}`} title={zoomStatusText(zoom, timeZone)}>
      {label}
    </span>
  );
}

type PanelProps = {
  zoom: SessionZoom;
  startTime: string;
  endTime: string;
  /** Booked and not over: the meeting can still be retried or replaced. */
  upcoming: boolean;
  timeZone: string;
  onRetry: () => Promise<unknown>;
  onRecreate: () => Promise<unknown>;
  now?: number;
};

export function ZoomMeetingPanel(p: PanelProps) {
  const [busy, setBusy] = useState<"retry" | "recreate" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const z = p.zoom;
  const link = z.status !== "deleted" ? safeHref(z.joinUrl) : undefined;
  const run = async (which: "retry" | "recreate", call: () => Promise<unknown>) => {
    setBusy(which);
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };
  const recreate = () => {
    const warning =
      "Replace this Zoom meeting with a new one? The old meeting is deleted and its link stops working: send the client the new link.";
    if (confirm(warning)) run("recreate", p.onRecreate);
  };
  return (
    <div class="card zoom-meeting">
      <div class="card-title">
        <h2>Zoom</h2>
        <ZoomBadge zoom={z} timeZone={p.timeZone} />
      </div>
      <p role="status">{zoomStatusText(z, p.timeZone)}</p>
      {link && (
        <div class="link-row">
          {joinOpen(p.startTime, p.endTime, p.now) && (
            <a class="button" href={link} target="_blank" rel="noopener">
              Join
            </a>
          )}
          <span class="truncate muted">{link}</span>
          <CopyButton text={link} label="Copy the Zoom link" />
        </div>
      )}
      {link && z.passcode && <p class="muted">Passcode: {z.passcode}</p>}
      {p.upcoming && (
        <p>
          {z.status === "failed" && (
            <button
              type="button"
              class="small"
              disabled={busy !== null}
              onClick={() => run("retry", p.onRetry)}
            >
              {busy === "retry" ? "Retrying…" : "Retry"}
            </button>
          )}{" "}
          {z.status !== "creating" && (
            <button type="button" class="small" disabled={busy !== null} onClick={recreate}>
              {busy === "recreate" ? "Recreating…" : "Recreate meeting"}
            </button>
          )}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
