/**
 * The Zoom side of `provider_connections`: the account id and plan stored beside the host id at
 * connect, the look-up that gives a Zoom webhook its coach (by host id and account id), and the
 * other coaches holding the same Zoom user (Zoom keeps only the newest grant of a user, so one
 * Kairos connection per Zoom user).
 */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { providerConnections } from "../db/schema";
import type { CoachScope } from "../env";
import type { ZoomPlan } from "./schemas";

export async function saveZoomAccount(
  { db, coachId }: CoachScope,
  account: { accountId: string; planType: ZoomPlan },
) {
  await db
    .update(providerConnections)
    .set({ externalAccountId: account.accountId, planType: account.planType })
    .where(and(eq(providerConnections.coachId, coachId), eq(providerConnections.provider, "zoom")));
}

/**
 * The coach a Zoom webhook belongs to: the connection of that Zoom user (and account, when the
 * event names one). A connected row wins over a disconnected one, then the newest.
 */
export async function findZoomOwner(
  db: Database,
  who: { userId: string; accountId?: string },
): Promise<string | null> {
  if (!who.userId) return null;
  const [row] = await db
    .select({ coachId: providerConnections.coachId })
    .from(providerConnections)
    .where(
      and(
        eq(providerConnections.provider, "zoom"),
        eq(providerConnections.externalUserId, who.userId),
        who.accountId
          ? sql`coalesce(${providerConnections.externalAccountId}, ${who.accountId}) = ${who.accountId}`
          : undefined,
      ),
    )
    .orderBy(
      sql`case when ${providerConnections.status} = 'disconnected' then 1 else 0 end`,
      desc(providerConnections.updatedAt),
    )
    .limit(1);
  return row?.coachId ?? null;
}

/** Other coaches whose live connection is this Zoom user (their grant was just revoked by Zoom). */
export async function otherHoldersOfZoomUser(db: Database, userId: string, coachId: string) {
  const rows = await db
    .select({ coachId: providerConnections.coachId })
    .from(providerConnections)
    .where(
      and(
        eq(providerConnections.provider, "zoom"),
        eq(providerConnections.externalUserId, userId),
        ne(providerConnections.coachId, coachId),
        ne(providerConnections.status, "disconnected"),
      ),
    );
  return rows.map((r) => r.coachId);
}

/**
 * Data compliance after an uninstall without data retention: the Zoom ids stored with the
 * connection go (tokens are gone already). Meetings and attendance keep their own history rules.
 */
export async function forgetZoomIdentity({ db, coachId }: CoachScope) {
  await db
    .update(providerConnections)
    .set({ externalUserId: "", externalAccountId: null, planType: null, updatedAt: new Date() })
    .where(and(eq(providerConnections.coachId, coachId), eq(providerConnections.provider, "zoom")));
}
