/**
 * Settings → Booking widget: the public booking page, the websites allowed to embed it (one origin
 * per line, checked by the server) and the snippet to paste. Saving says what happened. When the
 * page's address is not Calendly's slug (another coach had it: /api/me's `slugNotice`), says so
 * right above the link the coach would share.
 */
import { useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { useRequest } from "../use-request";
import { CopyButton } from "./copy-button";
import { ErrorNotice, Spinner } from "./feedback";
import { toast } from "./toasts";

export function BookingWidgetPanel({ slugNotice }: { slugNotice?: string | null }) {
  const request = useRequest(() => api["booking-settings"].$get(), []);
  if (request.state === "loading") return <Spinner label="Loading widget settings…" />;
  if (request.state === "error")
    return <ErrorNotice error={request.error} onRetry={request.retry} />;
  const { bookingPageUrl, embedOrigins, snippet } = request.data;
  return (
    <div class="card">
      {slugNotice && (
        <div class="notice notice-info" role="status">
          <p>{slugNotice} Share this link, not your Calendly slug.</p>
        </div>
      )}
      <p>
        Your booking page: <a href={bookingPageUrl}>{bookingPageUrl}</a>{" "}
        <CopyButton text={bookingPageUrl} label="Copy booking page link" />
      </p>
      <OriginsForm initial={embedOrigins} onSaved={request.retry} />
      <p>Paste this where the booking calendar should appear on your site:</p>
      <pre class="snippet">{snippet}</pre>
      <CopyButton text={snippet} label="Copy embed snippet" />
    </div>
  );
}

function OriginsForm({ initial, onSaved }: { initial: string[]; onSaved: () => void }) {
  const [origins, setOrigins] = useState(initial.join("\n"));
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      const embedOrigins = origins
        .split(/\s+/)
        .map((o) => o.trim().replace(/\/$/, ""))
        .filter(Boolean);
      await read(await api["booking-settings"].$put({ json: { embedOrigins } }));
      setSaved(true);
      toast("Allowed websites saved.");
      onSaved();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={save}>
      <label for="embed-origins">Websites allowed to embed it (one per line)</label>
      <textarea
        id="embed-origins"
        rows={3}
        value={origins}
        placeholder="https://your-site.example"
        onInput={(e) => setOrigins(e.currentTarget.value)}
      />
      {error && <ErrorNotice error={error} />}
      {saved && (
        <p class="muted" role="status">
          Saved.
        </p>
      )}
      <button type="submit" disabled={saving}>
        {saving ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
