/**
 * On every signed-in page while a connection is broken: say so, offer one fix. Calendly: needs
 * reconnecting or disconnected (Kairos cannot work without it); when the grant lacks permissions,
 * the reason names them. Zoom: needs reconnecting, or ended by Zoom (the app was removed there, or
 * the Zoom account was connected elsewhere); a Zoom the coach disconnected or never connected is
 * not a problem.
 */
import type { Coach } from "../api";

type Connection = Coach["connections"][number];
const BROKEN = new Set(["needs_reconnect", "disconnected"]);

function calendlyProblem(c: Connection | undefined) {
  if (!c || !BROKEN.has(c.status)) return null;
  const missing = c.missingScopes;
  return (
    c.lastError ??
    (missing.length
      ? `Kairos needs access to ${missing.join(", ")} in Calendly.`
      : "Kairos can no longer reach your Calendly account.")
  );
}

/** A Zoom the coach turned off themselves (no error recorded) needs no banner. */
function zoomProblem(c: Connection | undefined) {
  if (!c) return null;
  if (c.status === "needs_reconnect")
    return c.lastError ?? "Kairos can no longer reach your Zoom account.";
  if (c.status === "disconnected" && c.lastError) return c.lastError;
  return null;
}

export function ReconnectBanner({ connections }: { connections: Coach["connections"] }) {
  const calendly = calendlyProblem(connections.find((c) => c.provider === "calendly"));
  const zoom = zoomProblem(connections.find((c) => c.provider === "zoom"));
  if (!calendly && !zoom) return null;
  return (
    <>
      {calendly && (
        <div class="notice notice-error reconnect" role="alert">
          <p>
            {calendly} Your sessions and settings are kept; reconnecting picks up where you left
            off.
          </p>
          <a class="button primary" href="/oauth/calendly/start">
            Reconnect Calendly
          </a>
        </div>
      )}
      {zoom && (
        <div class="notice notice-error reconnect" role="alert">
          <p>
            {zoom} Your meetings and attendance are kept; until you reconnect, Kairos cannot create
            or move Zoom meetings.
          </p>
          <a class="button primary" href="/oauth/zoom/start">
            Reconnect Zoom
          </a>
        </div>
      )}
    </>
  );
}
