/**
 * "Sign out everywhere": after a plain confirmation, revokes every login session of the coach (a lost
 * laptop, a shared computer) and sends this browser to the sign-in page, since its session ends too.
 */
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type ApiError, api, read } from "../api";
import { clearRequestCache } from "../use-request";
import { ErrorNotice } from "./feedback";

const WARNING =
  "Sign out everywhere? Every browser and device signed in to Kairos as you is signed out, " +
  "this one included. Your data stays; you sign in again with Calendly.";

export function SignOutEverywhereButton() {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const signOutEverywhere = async () => {
    if (!confirm(WARNING)) return;
    setBusy(true);
    setError(null);
    try {
      await read(await api["login-sessions"]["revoke-all"].$post());
      clearRequestCache();
      route("/signin");
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="small" onClick={signOutEverywhere} disabled={busy}>
        {busy ? "Signing out everywhere…" : "Sign out everywhere"}
      </button>
      {error && <ErrorNotice error={error} />}
    </>
  );
}
