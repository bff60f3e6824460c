/**
 * The dashboard's and booking pages' rule for links taken from outside data (Calendly, Zoom):
 * only `https:` is rendered as an href, `http:` only for hosts that cannot be on the internet (the
 * sandbox's localhost and *.test). The worker drops unsafe links where it parses them
 * (worker/lib/safe-url.ts); this copy covers what it already stored and whatever it misses.
 * The web imports no runtime code from worker/, hence the copy.
 */
const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

const isLocalHost = (hostname: string) => {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return LOCAL_NAMES.has(host) || host.endsWith(".localhost") || host.endsWith(".test");
};

/** The link when it is safe to put in an href, otherwise undefined (render no link). */
export function safeHref(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:" && isLocalHost(url.hostname)) return value;
  return undefined;
}
