/** Calendly-style pagination: `count` (default 20, max 100) and an opaque `page_token`. */
export type Page<T> = { collection: T[]; pagination: Record<string, string | number | null> };

export function parseCount(raw: string | undefined): number | string {
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) return "count must be an integer between 1 and 100";
  return n;
}

export function paginate<T>(
  items: T[],
  count: number,
  token: string | undefined,
  url: string,
): Page<T> {
  const offset = token ? decodeOffset(token) : 0;
  const slice = items.slice(offset, offset + count);
  const nextToken = offset + count < items.length ? btoa(String(offset + count)) : null;
  const prevToken = offset > 0 ? btoa(String(Math.max(0, offset - count))) : null;
  const link = (t: string | null) => {
    if (!t) return null;
    const u = new URL(url);
    u.searchParams.set("page_token", t);
    return u.toString();
  };
  return {
    collection: slice,
    pagination: {
      count: slice.length,
      next_page: link(nextToken),
      previous_page: link(prevToken),
      next_page_token: nextToken,
      previous_page_token: prevToken,
    },
  };
}

function decodeOffset(token: string) {
  try {
    return Math.max(0, Number(atob(token)) || 0);
  } catch {
    return 0;
  }
}
