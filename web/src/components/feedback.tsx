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

/** Placeholder cards while a list loads (the label is for screen readers). */
export function Skeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div aria-busy="true">
      <p class="sr-only" role="status">
        {label}
      </p>
      <ul class="cards" aria-hidden="true">
        {Array.from({ length: rows }, (_, i) => (
          <li key={i} class="card skeleton-card">
            <span class="skeleton-line wide" />
            <span class="skeleton-line" />
          </li>
        ))}
      </ul>
    </div>
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

/** The foot of a paged list (see useLoadMore): why the next page failed, and the button for it. */
export function ShowMore(props: {
  list: { hasMore: boolean; loading: boolean; error: ApiError | null; loadMore: () => void };
}) {
  const { hasMore, loading, error, loadMore } = props.list;
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={loadMore} />}
      {hasMore && (
        <button type="button" onClick={loadMore} disabled={loading}>
          {loading ? "Loading…" : "Show more"}
        </button>
      )}
    </>
  );
}
