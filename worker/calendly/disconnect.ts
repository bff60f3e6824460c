/**
 * Disconnecting Calendly: delete our webhook subscription there, revoke the grant, wipe the stored
 * tokens and keys, and mark the connection `disconnected`. Sessions, clients and history stay in
 * Kairos; reconnecting later resumes with a fresh import of what changed. Each remote step is best
 * effort: a dead grant must not stop a coach from disconnecting.
 */
import { and, eq } from "drizzle-orm";
import { openToken } from "../auth/token-vault";
import { audit } from "../db/audit";
import { getConnection } from "../db/connections";
import { providerConnections, webhookSubscriptions } from "../db/schema";
import type { CoachScope } from "../env";
import { log } from "../lib/log";
import type { CalendlyClient } from "./client";
import { uuidOf } from "./schemas";

/** Runs inside the coach's CoachGuard (the only writer of tokens); see `disconnectCalendly` there. */
export async function disconnectCalendly(
  env: Env,
  scope: CoachScope,
  remote: { calendly: CalendlyClient; revoke: (token: string) => Promise<void> },
) {
  const { db, coachId } = scope;
  const conn = await getConnection(scope, "calendly");
  const subs = await db
    .select()
    .from(webhookSubscriptions)
    .where(
      and(eq(webhookSubscriptions.coachId, coachId), eq(webhookSubscriptions.provider, "calendly")),
    );
  for (const sub of subs) {
    await remote.calendly
      .deleteSubscription(uuidOf(sub.uri))
      .catch((err) => log.warn("disconnect.subscription_delete_failed", { coachId, err }));
  }
  if (conn?.refreshTokenEnc) {
    // Revoking the refresh token ends the whole grant at Calendly.
    const token = await openToken(
      env.ENCRYPTION_KEYS,
      coachId,
      "calendly",
      "refresh_token",
      conn.refreshTokenEnc,
    );
    await remote
      .revoke(token)
      .catch((err) => log.warn("disconnect.revoke_failed", { coachId, err }));
  }
  await db.batch([
    db
      .delete(webhookSubscriptions)
      .where(
        and(
          eq(webhookSubscriptions.coachId, coachId),
          eq(webhookSubscriptions.provider, "calendly"),
        ),
      ),
    db
      .update(providerConnections)
      .set({
        status: "disconnected",
        accessTokenEnc: null,
        refreshTokenEnc: null,
        accessExpiresAt: null,
        lastError: null,
        updatedAt: new Date(),
      })
      .where(
        and(eq(providerConnections.coachId, coachId), eq(providerConnections.provider, "calendly")),
      ),
  ]);
  await audit(db, {
    coachId,
    actor: "coach",
    action: "connection.disconnected",
    subject: "calendly",
  });
}
