/**
 * "Sign out everywhere": after a plain confirmation, revokes every login session of the coach (a lost
 * laptop, a shared computer) and sends this browser to the sign-in page, since its session ends too.
 */
import { useLocation } from "preact-iso";
import { api, read } from "../api";
import { clearRequestCache } from "../use-request";
import { ConfirmedActionButton } from "./confirmed-action-button";

const WARNING =
  "Sign out everywhere? Every browser and device signed in to Kairos as you is signed out, " +
  "this one included. Your data stays; you sign in again with Calendly.";

export function SignOutEverywhereButton() {
  const { route } = useLocation();
  return (
    <ConfirmedActionButton
      label="Sign out everywhere"
      busyLabel="Signing out everywhere…"
      warning={WARNING}
      run={async () => read(await api["login-sessions"]["revoke-all"].$post())}
      done={() => {
        clearRequestCache();
        route("/signin");
      }}
    />
  );
}
