/**
 * On every signed-in page while the Calendly connection is broken: say so, offer one fix. When the
 * grant lacks permissions, the reason names them ("Kairos needs access to …").
 */
import type { Coach } from "../api";

const BROKEN = new Set(["needs_reconnect", "disconnected"]);

export function ReconnectBanner({ connections }: { connections: Coach["connections"] }) {
  const calendly = connections.find((c) => c.provider === "calendly");
  if (!calendly || !BROKEN.has(calendly.status)) return null;
  const missing = calendly.missingScopes;
  const reason =
    calendly.lastError ??
    (missing.length
      ? `Kairos needs access to ${missing.join(", ")} in Calendly.`
      : "Kairos can no longer reach your Calendly account.");
  return (
    <div class="notice notice-error reconnect" role="alert">
      <p>{reason} Your sessions and settings are kept; reconnecting picks up where you left off.</p>
      <a class="button primary" href="/oauth/calendly/start">
        Reconnect Calendly
      </a>
    </div>
  );
}
