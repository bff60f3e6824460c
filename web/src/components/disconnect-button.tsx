/** Disconnect Calendly, after saying plainly what happens and asking for confirmation. */
import { useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { ErrorNotice } from "./feedback";

const WARNING =
  "Disconnect Calendly? Kairos stops receiving bookings and removes its access and webhooks. " +
  "Your sessions and history stay in Kairos, and you can reconnect at any time.";

export function DisconnectButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const disconnect = async () => {
    if (!confirm(WARNING)) return;
    setBusy(true);
    setError(null);
    try {
      await read(await api.connections.calendly.disconnect.$post());
      window.location.reload();
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="small" onClick={disconnect} disabled={busy}>
        {busy ? "Disconnecting…" : "Disconnect"}
      </button>
      {error && <ErrorNotice error={error} />}
    </>
  );
}
