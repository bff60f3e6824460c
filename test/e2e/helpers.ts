/** Shared by the Chromium suites: launching Debian's Chromium and a browserless sign-in. */
import { chromium } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/chromium.mjs";

export const launchChromium = () =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/** Scripted sign-in without a browser: start → authorize with sandbox_user → callback. */
export async function scriptedSignIn(origin: string, email: string) {
  const start = await fetch(`${origin}/oauth/calendly/start`, { redirect: "manual" });
  const stateCookie = start.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const authorize = new URL(start.headers.get("location") ?? "");
  authorize.searchParams.set("sandbox_user", email);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = await fetch(approved.headers.get("location") ?? "", {
    redirect: "manual",
    headers: { cookie: stateCookie },
  });
  expect(callback.status).toBe(302);
  const session = callback.headers
    .getSetCookie()
    .find((c) => c.startsWith("__Host-kairos_session="));
  expect(session).toBeTruthy();
  return (session ?? "").split(";")[0] ?? "";
}
