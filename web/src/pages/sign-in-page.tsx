/** "Sign in with Calendly", with a plain explanation when a previous attempt failed. */
import { useLocation } from "preact-iso";

const MESSAGES: Record<string, string> = {
  access_denied:
    "You declined access in Calendly, so Kairos could not sign you in. You can try again any time.",
  state_mismatch:
    "That sign-in link expired or was opened in another browser. Please start again from this page.",
  code_rejected:
    "Calendly did not accept the sign-in (the link may have been used already). Please try again.",
  invalid_callback: "Calendly sent Kairos an incomplete answer. Please try again.",
  calendly_error: "Calendly reported a problem during sign-in. Please try again in a moment.",
  missing_scopes:
    "Kairos needs access to your Calendly profile to sign you in. Please try again and keep every permission Kairos asks for ticked.",
};

export function SignInPage() {
  const { query } = useLocation();
  const error = query.error;
  return (
    <main class="signin">
      <h1>Kairos</h1>
      <p class="lede">
        Your coaching schedule, handled: bookings, Zoom links, reminders and no-shows.
      </p>
      {error && (
        <div class="notice notice-error" role="alert">
          {MESSAGES[error] ?? "Sign-in did not complete. Please try again."}
        </div>
      )}
      <a class="button primary" href="/oauth/calendly/start">
        Sign in with Calendly
      </a>
    </main>
  );
}
