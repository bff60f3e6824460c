/**
 * How Kairos's tools launch Chromium (the e2e suite and the bench): Debian's /usr/bin/chromium
 * (or CHROMIUM_PATH), headless, with the flags a container needs.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
