/**
 * Login session hardening: a fresh id on every sign-in (the presented one is revoked), the
 * `__Host-` cookie, the idle timeout beside the absolute one, and "sign out everywhere".
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../../worker/lib/crypto";
import { CookieJar } from "../helpers/cookies";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { api, callback, signInWithCode, startSignIn } from "../helpers/sign-in";
import { server } from "../setup";

const COOKIE = "__Host-kairos_session";
const DAY = 86_400_000;
/** GET /api/me's status with only this one cookie. */
async function meWith(name: string, value: string) {
  const jar = new CookieJar();
  jar.set(name, value);
  return (await api(jar, "/api/me")).status;
}
/** The D1 row of the session a jar holds (D1 keys it by the id's HMAC, never the id). */
async function rowOf(jar: CookieJar) {
  const idHash = await hmacSha256Hex(env.SESSION_SECRET, `session:${jar.get(COOKIE)}`);
  return env.DB.prepare("select * from login_sessions where id_hash = ?")
    .bind(idHash)
    .first<{ id_hash: string; last_seen_at: number | null; expires_at: number }>();
}
async function setTimes(jar: CookieJar, column: "last_seen_at" | "expires_at", at: number) {
  const row = await rowOf(jar);
  await env.DB.prepare(`update login_sessions set ${column} = ? where id_hash = ?`)
    .bind(at, row?.id_hash)
    .run();
}
const liveSessionsOf = async (email: string) =>
  (
    await env.DB.prepare(
      `select count(*) as n from login_sessions s join coaches c on c.id = s.coach_id
       where c.email = ? and s.revoked_at is null`,
    )
      .bind(email)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("the session cookie", () => {
  it("is __Host- prefixed: Secure, Path=/, host-only, HttpOnly", async () => {
    server.use(...fakeCalendly([dana]));
    const { res } = await signInWithCode(`code-${dana.token}`);
    const line = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`)) ?? "";
    expect(line).toMatch(/;\s*Secure/i);
    expect(line).toMatch(/;\s*Path=\/(;|$)/i);
    expect(line).toMatch(/HttpOnly/i);
    expect(line).not.toMatch(/Domain=/i);
  });

  it("no longer accepts the cookie under its old, unprefixed name", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const id = jar.get(COOKIE) ?? "";
    expect(await meWith(COOKIE, id)).toBe(200);
    expect(await meWith("kairos_session", id)).toBe(401);
  });
});

describe("signing in", () => {
  it("always issues a new session id and revokes the one the browser arrived with", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const first = jar.get(COOKIE) ?? "";
    expect(first).toBeTruthy();

    const again = await startSignIn(jar);
    await callback(jar, { code: `code-${dana.token}`, state: again.state });
    const second = jar.get(COOKIE) ?? "";
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);

    expect(await meWith(COOKIE, first)).toBe(401);
    expect(await meWith(COOKIE, second)).toBe(200);
  });

  it("never turns an id planted before sign-in into a signed-in session (fixation)", async () => {
    server.use(...fakeCalendly([dana, lee]));
    // The attacker's own valid session id, planted in the victim's browser.
    const planted = (await signInWithCode(`code-${lee.token}`)).jar.get(COOKIE) ?? "";
    const { jar: victim, state } = await startSignIn();
    victim.set(COOKIE, planted);
    await callback(victim, { code: `code-${dana.token}`, state });
    expect(victim.get(COOKIE)).not.toBe(planted);
    expect(await meWith(COOKIE, planted)).toBe(401);
    const me = await api(victim, "/api/me");
    expect(((await me.json()) as { email: string }).email).toBe("dana@coach.test");
  });

  it("revokes and clears an old unprefixed cookie the browser still holds", async () => {
    server.use(...fakeCalendly([dana]));
    const old = (await signInWithCode(`code-${dana.token}`)).jar.get(COOKIE) ?? "";
    const { jar, state } = await startSignIn();
    jar.set("kairos_session", old);
    const res = await callback(jar, { code: `code-${dana.token}`, state });
    expect(res.headers.getSetCookie().some((c) => /^kairos_session=;.*Max-Age=0/i.test(c))).toBe(
      true,
    );
    expect(jar.get("kairos_session")).toBeUndefined();
    expect(await meWith(COOKIE, old)).toBe(401);
  });
});

describe("the idle timeout", () => {
  it("signs the coach out after 7 days without a request, though 30 days have not passed", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await setTimes(jar, "last_seen_at", Date.now() - 8 * DAY);
    expect((await api(jar, "/api/me")).status).toBe(401);
  });

  it("keeps an active coach signed in, and writes 'seen' at most every 10 minutes", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await setTimes(jar, "last_seen_at", Date.now() - 6 * DAY);

    expect((await api(jar, "/api/me")).status).toBe(200);
    expect((await rowOf(jar))?.last_seen_at).toBeGreaterThan(Date.now() - 60_000);

    // Five minutes ago: still within the throttle, so the next request writes nothing.
    const fiveMinutesAgo = Date.now() - 5 * 60_000;
    await setTimes(jar, "last_seen_at", fiveMinutesAgo);
    expect((await api(jar, "/api/me")).status).toBe(200);
    expect((await rowOf(jar))?.last_seen_at).toBe(fiveMinutesAgo);
  });

  it("still ends every session 30 days after sign-in", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await setTimes(jar, "expires_at", Date.now() - 1);
    expect((await api(jar, "/api/me")).status).toBe(401);
  });
});

describe("POST /api/login-sessions/revoke-all", () => {
  it("revokes every session of the coach, from any one of them, and no one else's", async () => {
    server.use(...fakeCalendly([dana, lee]));
    const laptop = (await signInWithCode(`code-${dana.token}`)).jar;
    const phone = (await signInWithCode(`code-${dana.token}`)).jar;
    const other = (await signInWithCode(`code-${lee.token}`)).jar;
    expect((await api(laptop, "/api/me")).status).toBe(200);
    expect((await api(phone, "/api/me")).status).toBe(200);

    const danas = await liveSessionsOf("dana@coach.test");
    expect(danas).toBeGreaterThanOrEqual(2);
    const lees = await liveSessionsOf("lee@coach.test");

    const res = await api(phone, "/api/login-sessions/revoke-all", { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, revoked: danas });
    expect(await liveSessionsOf("dana@coach.test")).toBe(0);
    expect(await liveSessionsOf("lee@coach.test")).toBe(lees);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE}=;`))).toBe(true);

    expect((await api(laptop, "/api/me")).status).toBe(401);
    expect((await api(phone, "/api/me")).status).toBe(401);
    expect((await api(other, "/api/me")).status).toBe(200);
    const audit = await env.DB.prepare(
      "select count(*) as n from audit_log where action = 'coach.signed_out_everywhere'",
    ).first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("needs a session", async () => {
    const res = await api(new CookieJar(), "/api/login-sessions/revoke-all", { method: "POST" });
    expect(res.status).toBe(401);
  });
});
