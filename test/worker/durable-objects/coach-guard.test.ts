import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { accessTokenFor, coachGuard } from "../../../worker/durable-objects/coach-guard";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const TOKEN_URL = "http://kairos.test/sandbox/calendly/oauth/token";

async function signedInDana() {
  server.use(...fakeCalendly([dana]));
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  if (!coach) throw new Error("no coach");
  return coach.id;
}

const expireAccessToken = (coachId: string) =>
  env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
    .bind(Date.now() + 60_000, coachId)
    .run();

describe("CoachGuard.accessToken", () => {
  it("returns the stored token while it is fresh, without calling Calendly", async () => {
    const coachId = await signedInDana();
    let refreshes = 0;
    server.use(http.post(TOKEN_URL, () => void refreshes++));
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(dana.token);
    expect(refreshes).toBe(0);
  });

  it("shares one refresh between concurrent callers and persists the rotated pair", async () => {
    const coachId = await signedInDana();
    await expireAccessToken(coachId);
    const presented: string[] = [];
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        presented.push(form.get("refresh_token") ?? "");
        return HttpResponse.json({
          token_type: "Bearer",
          access_token: "access-dana-2",
          refresh_token: "refresh-dana-2",
          expires_in: 7200,
          scope: "users:read",
        });
      }),
    );
    const guard = coachGuard(env, coachId);
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => guard.accessToken(coachId, "calendly")),
    );
    expect(new Set(tokens.map((t) => t.ok && t.value))).toEqual(new Set(["access-dana-2"]));
    expect(presented).toEqual([`refresh-${dana.token}`]);

    const row = await env.DB.prepare(
      "select refresh_token_enc, access_expires_at from provider_connections where coach_id = ?",
    )
      .bind(coachId)
      .first<{ refresh_token_enc: string; access_expires_at: number }>();
    expect(row?.refresh_token_enc).not.toContain("refresh-dana-2");
    expect(row?.access_expires_at).toBeGreaterThan(Date.now() + 3_600_000);
  });

  it("marks the connection needs_reconnect when Calendly answers invalid_grant", async () => {
    const coachId = await signedInDana();
    await expireAccessToken(coachId);
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ error: "invalid_grant" }, { status: 400 })),
    );
    await expect(accessTokenFor(env, coachId, "calendly")).rejects.toMatchObject({
      code: "reconnect_required",
    });
    const row = await env.DB.prepare("select status from provider_connections where coach_id = ?")
      .bind(coachId)
      .first<{ status: string }>();
    expect(row?.status).toBe("needs_reconnect");
  });
});
