/** Loading, error and empty states, the same everywhere. */
import type { ComponentChildren } from "preact";
import { type ApiError, clockTime } from "../api";

export function Spinner({ label }: { label: string }) {
  return (
    <p class="feedback" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>
        {error.message}
        {error.retryAt && ` We will retry at ${clockTime(error.retryAt)}.`}
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}
