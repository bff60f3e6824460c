/** On every signed-in page while the Calendly connection is broken: say so, offer one fix. */
import type { Coach } from "../app";

const BROKEN = new Set(["needs_reconnect", "disconnected"]);

export function ReconnectBanner({ connections }: { connections: Coach["connections"] }) {
  const calendly = connections.find((c) => c.provider === "calendly");
  if (!calendly || !BROKEN.has(calendly.status)) return null;
  return (
    <div class="notice notice-error reconnect" role="alert">
      <p>
        {calendly.lastError ?? "Kairos can no longer reach your Calendly account."} Your sessions
        and settings are kept; reconnecting picks up where you left off.
      </p>
      <a class="button primary" href="/oauth/calendly/start">
        Reconnect Calendly
      </a>
    </div>
  );
}
