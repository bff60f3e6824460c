/** Disconnect Zoom, after saying plainly what happens and asking for confirmation. */
import { api, read } from "../api";
import { ConfirmedActionButton } from "./confirmed-action-button";

const WARNING =
  "Disconnect Zoom? Kairos removes its access at Zoom and stops creating meetings for new bookings. " +
  "Meetings already made and attendance stay in Kairos, and you can connect Zoom again at any time.";

export function ZoomDisconnectButton() {
  return (
    <ConfirmedActionButton
      label="Disconnect"
      busyLabel="Disconnecting…"
      warning={WARNING}
      run={async () => read(await api.connections.zoom.disconnect.$post())}
      done={() => window.location.reload()}
    />
  );
}
