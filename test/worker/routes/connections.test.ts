import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ensureCalendlySubscription } from "../../../worker/calendly/ensure-subscription";
import { createDb } from "../../../worker/db/client";
import { sandboxSignIn } from "../helpers/sandbox-sign-in";
import { api } from "../helpers/sign-in";

describe("POST /api/connections/calendly/disconnect", () => {
  it("revokes the grant, deletes the webhook subscription, wipes tokens and keeps Kairos data", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const coach = await env.DB.prepare(
      "select id from coaches where email = 'dana@coach.test'",
    ).first<{ id: string }>();
    const coachId = coach?.id ?? "";
    await ensureCalendlySubscription(env, { db: createDb(env.DB), coachId });
    expect((await api(jar, "/api/event-types")).status).toBe(200);

    const res = await api(jar, "/api/connections/calendly/disconnect", { method: "POST" });
    expect(res.status).toBe(200);

    const conn = await env.DB.prepare(
      "select status, access_token_enc, refresh_token_enc from provider_connections where coach_id = ?",
    )
      .bind(coachId)
      .first();
    expect(conn).toEqual({
      status: "disconnected",
      access_token_enc: null,
      refresh_token_enc: null,
    });
    const ours = await env.DB.prepare(
      "select count(*) as n from webhook_subscriptions where coach_id = ?",
    )
      .bind(coachId)
      .first<{ n: number }>();
    expect(ours?.n).toBe(0);
    const theirs = await env.DB.prepare(
      "select count(*) as n from sandbox_calendly_subscriptions where user_id = 'dana-reyes-0001'",
    ).first<{ n: number }>();
    expect(theirs?.n).toBe(0);
    const live = await env.DB.prepare(
      "select count(*) as n from sandbox_calendly_tokens where user_id = 'dana-reyes-0001' and kind = 'refresh' and revoked = 0",
    ).first<{ n: number }>();
    expect(live?.n).toBe(0);

    const types = await env.DB.prepare("select count(*) as n from event_types where coach_id = ?")
      .bind(coachId)
      .first<{ n: number }>();
    expect(types?.n).toBe(3);
    const me = (await (await api(jar, "/api/me")).json()) as { connections: { status: string }[] };
    expect(me.connections[0]?.status).toBe("disconnected");
    const refresh = await api(jar, "/api/event-types/refresh", { method: "POST" });
    expect(refresh.status).toBe(424);
  });
});
