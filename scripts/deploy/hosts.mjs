/** Hosts that can never be on the internet (RFC 6761), the same rule as worker/config-guard.ts. */
const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLocalHostname(hostname) {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return LOCAL_NAMES.has(host) || host.endsWith(".localhost") || host.endsWith(".test");
}

export const isLocalUrl = (url) => isLocalHostname(new URL(url).hostname);
