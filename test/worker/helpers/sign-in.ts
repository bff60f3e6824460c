/** Drives "Sign in with Calendly" through the worker: start → (authorize) → callback. */
import { exports } from "cloudflare:workers";
import { CookieJar } from "./cookies";

export const ORIGIN = "http://kairos.test";

export async function startSignIn(jar = new CookieJar()) {
  const res = await exports.default.fetch(`${ORIGIN}/oauth/calendly/start`, { redirect: "manual" });
  jar.store(res);
  const authorize = new URL(res.headers.get("location") ?? "");
  return { jar, res, authorize, state: authorize.searchParams.get("state") ?? "" };
}

export async function callback(jar: CookieJar, query: Record<string, string>) {
  const url = `${ORIGIN}/oauth/calendly/callback?${new URLSearchParams(query)}`;
  const res = await exports.default.fetch(url, {
    redirect: "manual",
    headers: { cookie: jar.header() },
  });
  jar.store(res);
  return res;
}

/** Signs in with a fake-Calendly code; returns the jar holding the session cookie. */
export async function signInWithCode(code: string) {
  const { jar, state } = await startSignIn();
  const res = await callback(jar, { code, state });
  return { jar, res };
}

export const api = (jar: CookieJar, path: string, init: RequestInit = {}) =>
  exports.default.fetch(`${ORIGIN}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
