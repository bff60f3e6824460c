/**
 * CoachGuard's single flight against a stub that rotates refresh tokens as Calendly does (a spent
 * one → invalid_grant): however callers, restarts of a flight and key rotation interleave, a
 * refresh token is presented once and no coach is flagged needs_reconnect by Kairos itself.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { coachGuard } from "../../../worker/durable-objects/coach-guard";
import { createTokenCipher } from "../../../worker/lib/crypto";
import { calendlyStub, dana, type StubOptions } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { slowD1 } from "../helpers/slow-d1";
import { server } from "../setup";

async function signedInDana(options: StubOptions = {}) {
  const calendly = calendlyStub([dana], options);
  server.use(...calendly.handlers);
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  if (!coach) throw new Error("no coach");
  return { coachId: coach.id, calendly };
}

/** Each refresh presented the pair the one before it issued: refresh-x, refresh-x-1, refresh-x-2… */
function expectUnbrokenChain(presented: string[]) {
  expect(presented.length).toBeGreaterThanOrEqual(2);
  expect(presented).toEqual(
    presented.map((_, i) => (i === 0 ? `refresh-${dana.token}` : `refresh-${dana.token}-${i}`)),
  );
}

const expireAccessToken = (coachId: string) =>
  env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
    .bind(Date.now() + 60_000, coachId)
    .run();

const connectionStatus = async (coachId: string) =>
  (
    await env.DB.prepare("select status from provider_connections where coach_id = ?")
      .bind(coachId)
      .first<{ status: string }>()
  )?.status;

function hold() {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { held, release };
}

/** Holds the first refresh request until released (a slow token endpoint). */
function slowFirstRefresh() {
  const { held, release } = hold();
  let refreshes = 0;
  const onToken: StubOptions["onToken"] = async (form) => {
    if (form.get("grant_type") === "refresh_token" && ++refreshes === 1) await held;
  };
  return { onToken, release };
}

const me = { method: "GET", path: "/users/me" } as const;

/** The stored pair as an older deploy wrote it (the older key), with the access token expiring. */
async function withOldKeyPair(coachId: string) {
  const old = await createTokenCipher(env.ENCRYPTION_KEYS.split(",")[1] ?? "");
  await env.DB.prepare(
    "update provider_connections set access_token_enc = ?, refresh_token_enc = ?, access_expires_at = ? where coach_id = ?",
  )
    .bind(
      await old.encrypt(dana.token, `${coachId}|calendly|access_token`),
      await old.encrypt(`refresh-${dana.token}`, `${coachId}|calendly|refresh_token`),
      Date.now() + 60_000,
      coachId,
    )
    .run();
}

describe("CoachGuard single flight", () => {
  it("callers holding a token Calendly rejected refresh it once, together with plain readers", async () => {
    const { coachId, calendly } = await signedInDana();
    calendly.killAccess(dana.token); // dead at Calendly, still fresh in D1: 401 → introspect
    const guard = coachGuard(env, coachId);
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 2 ? guard.accessToken(coachId, "calendly") : guard.calendly(coachId, me),
      ),
    );
    const calls = outcomes.filter((_, i) => i % 3 !== 2);
    expect(calls.every((o) => o.ok)).toBe(true);
    expect(calendly.presentedRefreshTokens()).toEqual([`refresh-${dana.token}`]);
    expect(await connectionStatus(coachId)).toBe("connected");
  });

  it("callers whose rejected token a plain reader is re-reading meanwhile refresh it once", async () => {
    // Both callers hear "inactive" while a plain reader's flight is under way, and that flight
    // returns the very token they saw rejected (D1 still calls it fresh): each must not refresh.
    const introspected = hold();
    let introspections = 0;
    const { coachId, calendly } = await signedInDana({
      onIntrospect: async () => {
        introspections++;
        await introspected.held;
      },
    });
    calendly.killAccess(dana.token);
    const guard = coachGuard(env, coachId);
    const d1 = slowD1(env.DB);
    await runInDurableObject(guard, (instance) => {
      Object.assign(instance, { env: { ...env, DB: d1.binding } });
    });
    const rejected = [guard.calendly(coachId, me), guard.calendly(coachId, me)];
    await vi.waitFor(() => expect(introspections).toBe(2));

    const releaseReads = d1.hold(/from "provider_connections"/); // as slow as a remote D1
    const reader = guard.accessToken(coachId, "calendly");
    await new Promise((resolve) => setTimeout(resolve, 50));
    introspected.release();
    await new Promise((resolve) => setTimeout(resolve, 50)); // both callers are waiting now
    releaseReads();

    const outcomes = await Promise.all([...rejected, reader]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(calendly.presentedRefreshTokens()).toEqual([`refresh-${dana.token}`]);
    expect(await connectionStatus(coachId)).toBe("connected");
  });

  it("a slow refresh is shared by a caller whose token was rejected meanwhile", async () => {
    const slow = slowFirstRefresh();
    const { coachId, calendly } = await signedInDana({ onToken: slow.onToken });
    await expireAccessToken(coachId);
    const guard = coachGuard(env, coachId);
    const first = guard.accessToken(coachId, "calendly");
    await vi.waitFor(() => expect(calendly.presentedRefreshTokens()).toHaveLength(1));
    const second = guard.accessToken(coachId, "calendly");
    const third = guard.calendly(coachId, me);
    slow.release();
    expect(await first).toEqual({ ok: true, value: `${dana.token}-1` });
    expect(await second).toEqual({ ok: true, value: `${dana.token}-1` });
    expect(await third).toMatchObject({ ok: true });
    expect(calendly.presentedRefreshTokens()).toEqual([`refresh-${dana.token}`]);
    expect(await connectionStatus(coachId)).toBe("connected");
  });

  it("invalid_grant after the coach signed in again meanwhile: uses the new pair, no reconnect", async () => {
    const slow = slowFirstRefresh();
    const { coachId, calendly } = await signedInDana({ onToken: slow.onToken });
    await expireAccessToken(coachId);
    const refreshing = coachGuard(env, coachId).accessToken(coachId, "calendly");
    await vi.waitFor(() => expect(calendly.presentedRefreshTokens()).toHaveLength(1));

    // While Calendly is slow, the coach signs in again (a new grant, saved by the callback) and
    // Calendly ends the old grant: the refresh in flight then answers invalid_grant.
    await signInWithCode(`code-${dana.token}`);
    calendly.killRefresh(`refresh-${dana.token}`);
    slow.release();

    expect(await refreshing).toEqual({ ok: true, value: `${dana.token}-c2` });
    expect(await connectionStatus(coachId)).toBe("connected");
  });

  it("a refresh that starts while key rotation is writing loses no pair", async () => {
    const { coachId, calendly } = await signedInDana();
    await withOldKeyPair(coachId);
    const guard = coachGuard(env, coachId);
    const d1 = slowD1(env.DB);
    await runInDurableObject(guard, (instance) => {
      Object.assign(instance, { env: { ...env, DB: d1.binding } });
    });
    // Rotation has read the old pair and its write is slow to land; a refresh starts meanwhile.
    const releaseWrites = d1.hold(/^update "provider_connections"/);
    const rekeying = guard.rekey(coachId);
    await vi.waitFor(() => expect(d1.waiting()).toBe(1));
    const refreshing = guard.accessToken(coachId, "calendly");
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseWrites();
    expect((await rekeying).ok).toBe(true);
    expect(await refreshing).toEqual({ ok: true, value: `${dana.token}-1` });

    // The rotated pair survived: the next refresh presents it and Calendly accepts it. (The
    // sign-in's background jobs may refresh too; what matters is that every refresh presented the
    // newest pair, so the chain of presented tokens has no gap and none was refused.)
    await expireAccessToken(coachId);
    expect(await guard.accessToken(coachId, "calendly")).toMatchObject({ ok: true });
    expectUnbrokenChain(calendly.presentedRefreshTokens());
  });

  it("key rotation running while a refresh is in flight loses no pair", async () => {
    const slow = slowFirstRefresh();
    const { coachId, calendly } = await signedInDana({ onToken: slow.onToken });
    await withOldKeyPair(coachId);
    const guard = coachGuard(env, coachId);
    const rekeyBefore = guard.rekey(coachId);
    const refreshing = guard.accessToken(coachId, "calendly");
    const rekeyAfter = guard.rekey(coachId);
    await vi.waitFor(() => expect(calendly.presentedRefreshTokens()).toHaveLength(1));
    slow.release();
    expect((await rekeyBefore).ok).toBe(true);
    expect(await refreshing).toEqual({ ok: true, value: `${dana.token}-1` });
    expect((await rekeyAfter).ok).toBe(true);

    // The rotated pair survived: the next refresh presents it and Calendly accepts it. (The
    // sign-in's background jobs may refresh too; what matters is that every refresh presented the
    // newest pair, so the chain of presented tokens has no gap and none was refused.)
    await expireAccessToken(coachId);
    expect(await guard.accessToken(coachId, "calendly")).toMatchObject({ ok: true });
    expectUnbrokenChain(calendly.presentedRefreshTokens());
    const stale = await env.DB.prepare(
      "select count(*) as n from provider_connections where coach_id = ? and (access_token_enc like 'v1.%' or refresh_token_enc like 'v1.%')",
    )
      .bind(coachId)
      .first<{ n: number }>();
    expect(stale?.n).toBe(0);
  });
});
