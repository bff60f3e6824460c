/**
 * A grant that loses scopes after sign-in is never treated as healthy: Calendly's 403 "Insufficient
 * scope" on a call, or a refresh that comes back narrower, both ask the coach to reconnect.
 */
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { CALENDLY_SCOPES } from "../../../worker/calendly/oauth";
import { accessTokenFor } from "../../../worker/durable-objects/coach-guard";
import { calendlyStub, dana } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const BASE = "http://kairos.test/sandbox/calendly";

async function signedInDana() {
  const calendly = calendlyStub([dana]);
  server.use(...calendly.handlers);
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return { jar, coachId: coach?.id ?? "" };
}

const connection = (coachId: string) =>
  env.DB.prepare("select status, last_error from provider_connections where coach_id = ?")
    .bind(coachId)
    .first<{ status: string; last_error: string | null }>();

describe("CoachGuard and scopes", () => {
  it("flags the connection when Calendly refuses a call for a missing scope", async () => {
    const { jar, coachId } = await signedInDana();
    server.use(
      http.get(`${BASE}/event_types`, () =>
        HttpResponse.json(
          {
            title: "Insufficient scope",
            message: "This request requires the event_types:read scope.",
            required_scopes: ["event_types:read"],
          },
          { status: 403 },
        ),
      ),
    );
    const res = await api(jar, "/api/event-types/refresh", { method: "POST" });
    expect(res.status).toBe(424);
    expect(await connection(coachId)).toMatchObject({ status: "needs_reconnect" });
    expect((await connection(coachId))?.last_error).toMatch(/Kairos needs access to/);
  });

  it("flags the connection when a refresh comes back with fewer scopes", async () => {
    const { coachId } = await signedInDana();
    const narrower = CALENDLY_SCOPES.split(" ")
      .filter((s) => s !== "webhooks:write")
      .join(" ");
    server.use(
      http.post(`${BASE}/oauth/token`, () =>
        HttpResponse.json({
          access_token: "access-narrow",
          refresh_token: "refresh-narrow",
          token_type: "Bearer",
          expires_in: 7200,
          created_at: Math.floor(Date.now() / 1000),
          scope: narrower,
          owner: dana.uri,
        }),
      ),
    );
    await env.DB.prepare("update provider_connections set access_expires_at = ? where coach_id = ?")
      .bind(Date.now() + 60_000, coachId)
      .run();
    await accessTokenFor(env, coachId, "calendly");
    const row = await connection(coachId);
    expect(row?.status).toBe("needs_reconnect");
    expect(row?.last_error).toMatch(/webhooks:write/);
  });
});
