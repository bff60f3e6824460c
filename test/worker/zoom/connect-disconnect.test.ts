/**
 * Ending a Zoom connection: the coach's disconnect revokes the grant at the fake Zoom; an
 * `app_deauthorized` webhook (signed as Zoom signs) disconnects, sends the data-compliance call and,
 * unless Zoom says to retain user data, forgets the Zoom ids stored with the connection.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { zoomFor } from "../../../worker/zoom/client";
import { api } from "../helpers/sign-in";
import { settledRows } from "../helpers/webhooks";
import { connectZoom, deliverZoom, zoomControl, zoomRowOf } from "./connect-helpers";

const liveZoomTokens = async (zoomUserId: string) =>
  (
    await env.DB.prepare(
      "select count(*) as n from sandbox_zoom_tokens where user_id = ? and kind != 'code' and revoked = 0",
    )
      .bind(zoomUserId)
      .first<{ n: number }>()
  )?.n;

const complianceOf = async (zoomUserId: string) => {
  const row = await env.DB.prepare("select value from sandbox_zoom_kv where key = ?")
    .bind(`compliance:${zoomUserId}`)
    .first<{ value: string }>();
  return row ? (JSON.parse(row.value) as Record<string, unknown>) : null;
};

const deauthorized = (retention?: "true" | "false") => ({
  event: "app_deauthorized",
  event_ts: Date.now(),
  payload: {
    account_id: "za_dana",
    user_id: "zu_dana_reyes",
    signature: "legacy",
    deauthorization_time: new Date().toISOString(),
    client_id: env.ZOOM_CLIENT_ID,
    ...(retention ? { user_data_retention: retention } : {}),
  },
});

describe("POST /api/connections/zoom/disconnect", () => {
  it("revokes the grant at Zoom, wipes the tokens and marks the connection disconnected", async () => {
    const { jar, coachId } = await connectZoom("dana@coach.test");
    expect(await liveZoomTokens("zu_dana_reyes")).toBeGreaterThan(0);
    const res = await api(jar, "/api/connections/zoom/disconnect", { method: "POST" });
    expect(res.status).toBe(200);
    expect(await liveZoomTokens("zu_dana_reyes")).toBe(0);
    expect(await zoomRowOf(coachId)).toMatchObject({
      status: "disconnected",
      access_token_enc: null,
      refresh_token_enc: null,
      last_error: null,
      external_user_id: "zu_dana_reyes",
    });
    expect(
      (
        await zoomFor(env, coachId)
          .me()
          .catch((e) => e)
      ).code,
    ).toBe("reconnect_required");
    const list = (await (await api(jar, "/api/connections")).json()) as {
      items: { provider: string; status: string }[];
    };
    expect(list.items.find((c) => c.provider === "zoom")?.status).toBe("disconnected");
  });

  it("still disconnects when the grant is already dead at Zoom", async () => {
    const { jar, coachId } = await connectZoom("dana@coach.test");
    await zoomControl("/control/tokens", { email: "dana@coach.test", action: "revoke_grant" });
    const res = await api(jar, "/api/connections/zoom/disconnect", { method: "POST" });
    expect(res.status).toBe(200);
    expect((await zoomRowOf(coachId))?.status).toBe("disconnected");
  });
});

describe("app_deauthorized", () => {
  it("disconnects, reports data compliance and forgets the Zoom ids", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    const envelope = deauthorized();
    const res = await deliverZoom(envelope);
    expect(res.status).toBe(204);
    const [row] = await settledRows(
      "provider = 'zoom' and event = 'app_deauthorized' and coach_id = ?",
      [coachId],
    );
    expect(row?.status).toBe("processed");
    expect(await zoomRowOf(coachId)).toMatchObject({
      status: "disconnected",
      access_token_enc: null,
      refresh_token_enc: null,
      external_user_id: "",
      external_account_id: null,
      plan_type: null,
    });
    expect((await zoomRowOf(coachId))?.last_error).toMatch(/removed from your Zoom account/);
    expect(await complianceOf("zu_dana_reyes")).toMatchObject({
      client_id: env.ZOOM_CLIENT_ID,
      user_id: "zu_dana_reyes",
      account_id: "za_dana",
      compliance_completed: true,
      deauthorization_event_received: envelope.payload,
    });
  });

  it("keeps the Zoom ids when Zoom says to retain the user's data", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    await env.DB.prepare("delete from sandbox_zoom_kv where key like 'compliance:%'").run();
    const envelope = deauthorized("true");
    await deliverZoom(envelope);
    await settledRows("dedupe_key = ? and coach_id = ?", [
      `zoom|app_deauthorized|||${envelope.event_ts}`,
      coachId,
    ]);
    expect(await zoomRowOf(coachId)).toMatchObject({
      status: "disconnected",
      access_token_enc: null,
      external_user_id: "zu_dana_reyes",
      external_account_id: "za_dana",
    });
    expect(await complianceOf("zu_dana_reyes")).not.toBeNull();
  });

  it("the fake Zoom's own deauthorize control reaches Kairos and disconnects the coach", async () => {
    const { coachId } = await connectZoom("lee@coach.test");
    await zoomControl("/control/tokens", { email: "lee@coach.test", action: "deauthorize" });
    await settledRows("provider = 'zoom' and event = 'app_deauthorized' and coach_id = ?", [
      coachId,
    ]);
    expect((await zoomRowOf(coachId))?.status).toBe("disconnected");
  });

  it("a forged signature is refused and changes nothing", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    const raw = JSON.stringify(deauthorized());
    const res = await exports.default.fetch("http://kairos.test/webhooks/zoom", {
      method: "POST",
      body: raw,
      headers: {
        "content-type": "application/json",
        "x-zm-request-timestamp": String(Math.floor(Date.now() / 1000)),
        "x-zm-signature": `v0=${"0".repeat(64)}`,
      },
    });
    expect(res.status).toBe(401);
    expect((await zoomRowOf(coachId))?.status).toBe("connected");
  });
});
