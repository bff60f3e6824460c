/**
 * globalSetup of the e2e suite: without a browser every test would fail with a Playwright stack
 * trace, so a machine without Chromium stops here with one line saying how to get it.
 */
import { existsSync } from "node:fs";
import { CHROMIUM_PATH } from "../../scripts/chromium.mjs";

export default function requireChromium() {
  if (existsSync(CHROMIUM_PATH)) return;
  process.stderr.write(
    `\nThe end-to-end suite needs Chromium at ${CHROMIUM_PATH}: install it with \`sudo apt-get install -y chromium\`, or set CHROMIUM_PATH to another Chromium.\n\n`,
  );
  process.exit(1);
}
