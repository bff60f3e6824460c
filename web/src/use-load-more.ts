/**
 * "Show more" over a keyset-paged list: the first page comes from `useRequest` (cached, live), later
 * pages are fetched with the cursor and appended. A new first page (other filters, a pushed change)
 * starts over, because cursors taken from the old first page would skip or repeat rows: everything
 * loaded here remembers the first page it continues.
 */
import { useState } from "preact/hooks";
import type { ApiError } from "./api";

type Page<T> = { items: T[]; nextCursor: string | null };
type More<T> = { base: Page<T>; items: T[]; nextCursor: string | null };

export function useLoadMore<T>(
  first: Page<T> | undefined,
  fetchPage: (cursor: string) => Promise<Page<T>>,
  keyOf: (item: T) => string,
) {
  const [more, setMore] = useState<More<T> | null>(null);
  const [pending, setPending] = useState<{ base: Page<T>; error?: ApiError } | null>(null);
  const extra = more && more.base === first ? more : null;
  const status = pending && pending.base === first ? pending : null;

  const seen = new Set<string>();
  const items = [...(first?.items ?? []), ...(extra?.items ?? [])].filter(
    (item) => !seen.has(keyOf(item)) && Boolean(seen.add(keyOf(item))),
  );
  const nextCursor = extra ? extra.nextCursor : (first?.nextCursor ?? null);
  const loading = status !== null && !status.error;

  const loadMore = async () => {
    if (!first || !nextCursor || loading) return;
    const base = first;
    setPending({ base });
    try {
      const page = await fetchPage(nextCursor);
      setMore((m) => ({
        base,
        items: [...(m?.base === base ? m.items : []), ...page.items],
        nextCursor: page.nextCursor,
      }));
      setPending((p) => (p?.base === base ? null : p));
    } catch (e) {
      setPending((p) => (p?.base === base ? { base, error: e as ApiError } : p));
    }
  };
  return {
    items,
    hasMore: nextCursor !== null,
    /** Pages beyond the first are shown (a fresh first page would drop them). */
    extended: extra !== null,
    loadMore,
    loading,
    error: status?.error ?? null,
  };
}
