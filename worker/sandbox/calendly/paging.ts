/**
 * Calendly-style pagination: `count` (default 20, max 100) and an opaque `page_token`. A token the
 * fake did not issue is refused (filters.ts answers 400), never read as "from the start".
 */
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
  const offset = token ? (decodePageToken(token) ?? 0) : 0;
  const slice = items.slice(offset, offset + count);
  const nextToken = offset + count < items.length ? encodePageToken(offset + count) : null;
  const prevToken = offset > 0 ? encodePageToken(Math.max(0, offset - count)) : null;
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

const TOKEN = /^page:(\d{1,9})$/;
const encodePageToken = (offset: number) =>
  btoa(`page:${offset}`).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");

/** The offset a token of ours stands for, or null for anything else. */
export function decodePageToken(token: string): number | null {
  try {
    const m = TOKEN.exec(atob(token.replaceAll("-", "+").replaceAll("_", "/")));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
