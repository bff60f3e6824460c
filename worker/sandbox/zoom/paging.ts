/**
 * Zoom-style pagination (contract §2): `page_size` (default 30, max 300) and a `next_page_token`
 * that expires after 15 minutes and is `""` on the last page. Tokens carry their offset and issue
 * time; one the fake did not issue, or an expired one, is refused rather than read as page one.
 */
const TTL_MS = 15 * 60_000;

export function pageSize(raw: string | undefined): number | null {
  if (raw === undefined || raw === "") return 30;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return null;
  return Math.min(n, 300);
}

/** The offset a token stands for (0 without one), or null for a foreign or expired token. */
export function pageOffset(token: string | undefined, now = Date.now()): number | null {
  if (!token) return 0;
  try {
    const m = /^zp:(\d{1,9}):(\d{13})$/.exec(atob(token));
    if (!m) return null;
    return now - Number(m[2]) > TTL_MS ? null : Number(m[1]);
  } catch {
    return null;
  }
}

export function page<T>(items: T[], size: number, offset: number, now = Date.now()) {
  const next = offset + size < items.length ? btoa(`zp:${offset + size}:${now}`) : "";
  return {
    page_count: Math.max(1, Math.ceil(items.length / size)),
    page_size: size,
    total_records: items.length,
    next_page_token: next,
    items: items.slice(offset, offset + size),
  };
}
