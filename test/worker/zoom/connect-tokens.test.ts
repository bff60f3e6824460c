/**
 * Zoom tokens through CoachGuard against the fake Zoom, whose refresh rotation is atomic (only the
 * newest refresh token works): one refresh for a burst, the rotated pair persisted, a dead grant
 * flagged needs_reconnect, and reconnecting keeps the connection and its data.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openToken } from "../../../worker/auth/token-vault";
import { AppError } from "../../../worker/lib/errors";
import { zoomFor } from "../../../worker/zoom/client";
import { api } from "../helpers/sign-in";
import {
  approveZoom,
  connectZoom,
  expireStoredAccess,
  refreshTokensIssued,
  startZoom,
  zoomControl,
  zoomRowOf,
} from "./connect-helpers";

const fails = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (err: unknown) => err as AppError,
  );

describe("Zoom token refresh through CoachGuard", () => {
  it("six parallel calls needing a refresh make one refresh, and all succeed", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    const before = await refreshTokensIssued("zu_dana_reyes");
    await expireStoredAccess(coachId);
    const zoom = zoomFor(env, coachId);
    const answers = await Promise.all(Array.from({ length: 6 }, () => zoom.me()));
    expect(answers.every((u) => u.id === "zu_dana_reyes")).toBe(true);
    expect(await refreshTokensIssued("zu_dana_reyes")).toBe(before + 1);

    // The rotated pair was persisted: the stored refresh token is the fake's newest live one.
    const row = await zoomRowOf(coachId);
    const refresh = await openToken(
      env.ENCRYPTION_KEYS,
      coachId,
      "zoom",
      "refresh_token",
      row?.refresh_token_enc ?? "",
    );
    const live = await env.DB.prepare(
      "select token from sandbox_zoom_tokens where user_id = 'zu_dana_reyes' and kind = 'refresh' and revoked = 0",
    ).all<{ token: string }>();
    expect(live.results.map((r) => r.token)).toEqual([refresh]);
  });

  it("a token Zoom expired early (401 124) is refreshed once for six parallel calls", async () => {
    const { coachId } = await connectZoom("dana@coach.test");
    const before = await refreshTokensIssued("zu_dana_reyes");
    await zoomControl("/control/tokens", { email: "dana@coach.test", action: "expire_access" });
    const zoom = zoomFor(env, coachId);
    const answers = await Promise.all(Array.from({ length: 6 }, () => zoom.me()));
    expect(answers.map((u) => u.id)).toEqual(Array(6).fill("zu_dana_reyes"));
    expect(await refreshTokensIssued("zu_dana_reyes")).toBe(before + 1);
  });

  it("a revoked grant → needs_reconnect with a reason; reconnecting keeps the connection", async () => {
    const { coachId, jar } = await connectZoom("dana@coach.test");
    const before = await zoomRowOf(coachId);
    await zoomControl("/control/tokens", { email: "dana@coach.test", action: "revoke_grant" });
    await expireStoredAccess(coachId);

    const err = await fails(zoomFor(env, coachId).me());
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("reconnect_required");
    const flagged = await zoomRowOf(coachId);
    expect(flagged?.status).toBe("needs_reconnect");
    expect(flagged?.last_error).toMatch(/Zoom no longer accepts/);
    // Never retried until the coach reconnects: the next call fails without a token request.
    const issued = await refreshTokensIssued("zu_dana_reyes");
    expect((await fails(zoomFor(env, coachId).me())).code).toBe("reconnect_required");
    expect(await refreshTokensIssued("zu_dana_reyes")).toBe(issued);

    const me = (await (await api(jar, "/api/me")).json()) as {
      connections: { provider: string; status: string; lastError: string | null }[];
    };
    expect(me.connections.find((c) => c.provider === "zoom")).toMatchObject({
      status: "needs_reconnect",
    });

    const { authorize } = await startZoom(jar);
    const res = await approveZoom(jar, authorize, "dana@coach.test");
    expect(res.headers.get("location")).toBe("/settings?zoom=connected");
    const after = await zoomRowOf(coachId);
    expect(after).toMatchObject({ id: before?.id, status: "connected", last_error: null });
    expect((await zoomFor(env, coachId).me()).id).toBe("zu_dana_reyes");
  });

  it("a grant revoked while the stored token looks valid: 401 124 → refresh refused → needs_reconnect", async () => {
    const { coachId } = await connectZoom("lee@coach.test");
    await zoomControl("/control/tokens", { email: "lee@coach.test", action: "revoke_grant" });
    const err = await fails(zoomFor(env, coachId).me());
    expect(err.code).toBe("reconnect_required");
    expect((await zoomRowOf(coachId))?.status).toBe("needs_reconnect");
  });

  it("the same Zoom user connected by another coach ends the first coach's connection", async () => {
    const dana = await connectZoom("dana@coach.test");
    const lee = await connectZoom("lee@coach.test", "dana@coach.test");
    expect((await zoomRowOf(lee.coachId))?.status).toBe("connected");
    const first = await zoomRowOf(dana.coachId);
    expect(first).toMatchObject({ status: "disconnected", access_token_enc: null });
    expect(first?.last_error).toMatch(/another Kairos account/);
  });
});
