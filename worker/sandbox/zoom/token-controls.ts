/**
 * Token switches of the fake Zoom, like the fake Calendly's `/control/tokens`: expire a host's access
 * tokens now (the next call answers 401 code 124 "Access token is expired."), revoke the grant (the
 * next refresh answers `invalid_grant`, calls 401 124), or deauthorize the app as an uninstall in
 * the Marketplace does: every token dies and `app_deauthorized` is sent (contract §4.6).
 */
import { and, eq } from "drizzle-orm";
import { hmacSha256Hex } from "../../lib/crypto";
import { szTokens, type szUsers } from "../db/zoom-schema";
import type { ZoomDb } from "./store";
import { emitZoom } from "./webhooks";

type User = typeof szUsers.$inferSelect;
export const TOKEN_ACTIONS = ["expire_access", "revoke_grant", "deauthorize"] as const;

export async function expireAccessTokens(db: ZoomDb, userId: string) {
  const rows = await db
    .update(szTokens)
    .set({ expiresAt: Date.now() - 1 })
    .where(
      and(eq(szTokens.userId, userId), eq(szTokens.kind, "access"), eq(szTokens.revoked, false)),
    )
    .returning({ token: szTokens.token });
  return rows.length;
}

export async function revokeGrant(db: ZoomDb, userId: string) {
  const rows = await db
    .update(szTokens)
    .set({ revoked: true })
    .where(and(eq(szTokens.userId, userId), eq(szTokens.revoked, false)))
    .returning({ token: szTokens.token });
  return rows.length;
}

export async function deauthorize(env: Env, db: ZoomDb, user: User, retention: boolean) {
  const changed = await revokeGrant(db, user.id);
  const now = Date.now();
  await emitZoom(env, [
    {
      event: "app_deauthorized",
      event_ts: now,
      payload: {
        account_id: user.accountId,
        user_id: user.id,
        // The legacy verification value; Kairos verifies x-zm-signature instead.
        signature: await hmacSha256Hex(env.ZOOM_WEBHOOK_SECRET_TOKEN, `${user.id}:${now}`),
        deauthorization_time: new Date(now).toISOString(),
        client_id: env.ZOOM_CLIENT_ID,
        user_data_retention: retention ? "true" : "false",
      },
    },
  ]);
  return changed;
}
