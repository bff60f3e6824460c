/** D1-backed login sessions: the cookie holds a random id, D1 holds only its keyed hash. */
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "./client";
import { loginSessions } from "./schema";

export async function insertLoginSession(
  db: Database,
  row: { idHash: string; coachId: string; expiresAt: Date; createdAt: Date },
) {
  await db.insert(loginSessions).values({ ...row, lastSeenAt: row.createdAt });
}

/** The unrevoked session with this hash (the caller applies the expiry and idle rules). */
export async function findUnrevokedLoginSession(db: Database, idHash: string) {
  return db.query.loginSessions.findFirst({
    where: and(eq(loginSessions.idHash, idHash), isNull(loginSessions.revokedAt)),
  });
}

export async function touchLoginSession(db: Database, idHash: string, now: Date) {
  await db.update(loginSessions).set({ lastSeenAt: now }).where(eq(loginSessions.idHash, idHash));
}

export async function revokeLoginSession(db: Database, idHash: string) {
  await db
    .update(loginSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(loginSessions.idHash, idHash), isNull(loginSessions.revokedAt)));
}

/** "Sign out everywhere": every live session of this coach, and only this coach. */
export async function revokeAllLoginSessions(db: Database, coachId: string) {
  const revoked = await db
    .update(loginSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(loginSessions.coachId, coachId), isNull(loginSessions.revokedAt)))
    .returning({ idHash: loginSessions.idHash });
  return revoked.length;
}
