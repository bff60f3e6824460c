/**
 * Separate gates per Calendly limit: a 429 (or an open breaker) on one endpoint family never freezes
 * the others, above all not the token endpoint.
 */
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http } from "msw";
import { describe, expect, it } from "vitest";
import { coachGuard } from "../../../worker/durable-objects/coach-guard";
import { calendlyStub, dana } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const BASE = "http://kairos.test/sandbox/calendly";

async function signedInDana() {
  const calendly = calendlyStub([dana]);
  server.use(...calendly.handlers);
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  if (!coach) throw new Error("no coach");
  // Each test starts with open gates (the guard keeps their state across restarts).
  await runInDurableObject(coachGuard(env, coach.id), (_guard, state) => state.storage.deleteAll());
  await abortAllDurableObjects();
  return { coachId: coach.id, calendly };
}

const slowDown = () =>
  new Response(JSON.stringify({ title: "Too Many Requests" }), {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": "30" },
  });

const eventTypes = { method: "GET", path: "/event_types", query: { user: dana.uri } } as const;

describe("CoachGuard gates", () => {
  it("a 429 on POST /invitees leaves the rest of the API open", async () => {
    const { coachId } = await signedInDana();
    let bookings = 0;
    server.use(
      http.post(`${BASE}/invitees`, () => {
        bookings++;
        return slowDown();
      }),
    );
    const guard = coachGuard(env, coachId);
    const invitee = { method: "POST", path: "/invitees", body: { event_type: "x" } } as const;
    expect(await guard.calendly(coachId, invitee)).toMatchObject({
      ok: false,
      code: "rate_limited",
    });
    expect(await guard.calendly(coachId, eventTypes)).toMatchObject({ ok: true });
    // The Scheduling API's own wait still holds: the second booking never reaches Calendly.
    expect(await guard.calendly(coachId, invitee)).toMatchObject({ code: "rate_limited" });
    expect(bookings).toBe(1);
    expect((await guard.status()).calendly).toMatchObject({ degraded: true, breaker: "closed" });
  });

  it("a 429 on the API does not stop a token refresh", async () => {
    const { coachId, calendly } = await signedInDana();
    server.use(http.get(`${BASE}/event_types`, slowDown));
    const guard = coachGuard(env, coachId);
    expect(await guard.calendly(coachId, eventTypes)).toMatchObject({ code: "rate_limited" });

    await env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
      .bind(Date.now() + 60_000, coachId)
      .run();
    expect(await guard.accessToken(coachId, "calendly")).toEqual({
      ok: true,
      value: `${dana.token}-1`,
    });
    expect(calendly.presentedRefreshTokens()).toEqual([`refresh-${dana.token}`]);
    const me = await guard.calendly(coachId, { method: "GET", path: "/users/me" });
    expect(me).toMatchObject({ ok: false, code: "rate_limited" }); // the API wait still runs
  });

  it("a 429 from the token endpoint leaves API calls with a valid token open", async () => {
    const { coachId } = await signedInDana();
    server.use(http.post(`${BASE}/oauth/token`, slowDown));
    const guard = coachGuard(env, coachId);
    expect(await guard.accessToken(coachId, "calendly", 3 * 3_600_000)).toMatchObject({
      code: "rate_limited",
    });
    expect(await guard.calendly(coachId, eventTypes)).toMatchObject({ ok: true });
  });
});
