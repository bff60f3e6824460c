/**
 * Ending a Zoom connection. A coach's disconnect revokes the grant at Zoom (best effort: a dead
 * grant must not stop a disconnect), wipes the stored tokens and marks the connection
 * `disconnected`. An uninstall in the Zoom Marketplace (`app_deauthorized`) does the same without
 * the revoke: Zoom killed the tokens already. Either way meetings and attendance stay in Kairos as
 * history; connecting again later starts a new grant. Both run inside the coach's CoachGuard (the
 * only writer of tokens), in its Zoom lane.
 */
import { and, eq } from "drizzle-orm";
import { openToken } from "../auth/token-vault";
import { audit } from "../db/audit";
import { getConnection } from "../db/connections";
import { providerConnections } from "../db/schema";
import type { CoachScope } from "../env";
import { log } from "../lib/log";

async function wipeTokens({ db, coachId }: CoachScope, lastError: string | null) {
  await db
    .update(providerConnections)
    .set({
      status: "disconnected",
      accessTokenEnc: null,
      refreshTokenEnc: null,
      accessExpiresAt: null,
      lastError,
      updatedAt: new Date(),
    })
    .where(and(eq(providerConnections.coachId, coachId), eq(providerConnections.provider, "zoom")));
}

export async function disconnectZoom(
  env: Env,
  scope: CoachScope,
  remote: { accessToken: () => Promise<string>; revoke: (accessToken: string) => Promise<void> },
) {
  const { coachId } = scope;
  const conn = await getConnection(scope, "zoom");
  if (conn?.accessTokenEnc) {
    // Zoom revokes by access token: a fresh one if the grant still lives, else the one stored.
    const stored = conn.accessTokenEnc;
    const token = await remote
      .accessToken()
      .catch(() => openToken(env.ENCRYPTION_KEYS, coachId, "zoom", "access_token", stored));
    await remote
      .revoke(token)
      .catch((err) => log.warn("disconnect.revoke_failed", { coachId, provider: "zoom", err }));
  }
  await wipeTokens(scope, null);
  await audit(scope.db, {
    coachId,
    actor: "coach",
    action: "connection.disconnected",
    subject: "zoom",
  });
}

const ENDED_BECAUSE = {
  deauthorized: "Kairos was removed from your Zoom account. Connect Zoom again to use it.",
  superseded:
    "This Zoom account was connected to another Kairos account, which ended this connection.",
} as const;
export type ZoomGrantEnd = keyof typeof ENDED_BECAUSE;

/**
 * The grant ended at Zoom: the app was removed (`app_deauthorized`), or the same Zoom user
 * authorized Kairos for another coach (Zoom keeps only the newest grant). No revoke: it is dead.
 */
export async function markZoomGrantEnded(scope: CoachScope, why: ZoomGrantEnd) {
  await wipeTokens(scope, ENDED_BECAUSE[why]);
  await audit(scope.db, {
    coachId: scope.coachId,
    actor: "zoom",
    action: why === "deauthorized" ? "connection.deauthorized" : "connection.superseded",
    subject: "zoom",
  });
}
