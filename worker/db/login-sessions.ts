/** D1-backed login sessions: the cookie holds a random id, D1 holds only its keyed hash. */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "./client";
import { loginSessions } from "./schema";

export async function insertLoginSession(
  db: Database,
  row: { idHash: string; coachId: string; expiresAt: Date },
) {
  await db.insert(loginSessions).values(row);
}

export async function findLiveLoginSession(db: Database, idHash: string, now = new Date()) {
  return db.query.loginSessions.findFirst({
    where: and(
      eq(loginSessions.idHash, idHash),
      isNull(loginSessions.revokedAt),
      gt(loginSessions.expiresAt, now),
    ),
  });
}

export async function revokeLoginSession(db: Database, idHash: string) {
  await db
    .update(loginSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(loginSessions.idHash, idHash), isNull(loginSessions.revokedAt)));
}
