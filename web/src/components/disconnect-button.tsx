/** Disconnect Calendly, after saying plainly what happens and asking for confirmation. */
import { api, read } from "../api";
import { ConfirmedActionButton } from "./confirmed-action-button";

const WARNING =
  "Disconnect Calendly? Kairos stops receiving bookings and removes its access and webhooks. " +
  "Your sessions and history stay in Kairos, and you can reconnect at any time.";

export function DisconnectButton() {
  return (
    <ConfirmedActionButton
      label="Disconnect"
      busyLabel="Disconnecting…"
      warning={WARNING}
      run={async () => read(await api.connections.calendly.disconnect.$post())}
      done={() => window.location.reload()}
    />
  );
}
