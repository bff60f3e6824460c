/** Reconcile runs: created per window, advanced page by page, finished or failed with a reason. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import { syncRuns } from "./schema";

export type SyncKind = (typeof syncRuns.$inferSelect)["kind"];

export async function startSyncRun(
  { db, coachId }: CoachScope,
  kind: SyncKind,
  window: { start: Date; end: Date },
) {
  const id = newId("syn");
  await db.insert(syncRuns).values({
    id,
    coachId,
    kind,
    status: "running",
    windowStart: window.start,
    windowEnd: window.end,
    startedAt: new Date(),
  });
  return id;
}

export function getSyncRun({ db, coachId }: CoachScope, id: string) {
  return db.query.syncRuns.findFirst({
    where: and(eq(syncRuns.id, id), eq(syncRuns.coachId, coachId)),
  });
}

export async function recordSyncPage(
  { db, coachId }: CoachScope,
  id: string,
  page: { seen: number; fixed: number; nextCursor: string | null },
) {
  await db
    .update(syncRuns)
    .set({
      pages: sql`${syncRuns.pages} + 1`,
      recordsSeen: sql`${syncRuns.recordsSeen} + ${page.seen}`,
      recordsFixed: sql`${syncRuns.recordsFixed} + ${page.fixed}`,
      cursor: page.nextCursor,
      ...(page.nextCursor ? {} : { status: "done" as const, finishedAt: new Date() }),
    })
    .where(and(eq(syncRuns.id, id), eq(syncRuns.coachId, coachId)));
}

export async function failSyncRun({ db, coachId }: CoachScope, id: string, error: string) {
  await db
    .update(syncRuns)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(and(eq(syncRuns.id, id), eq(syncRuns.coachId, coachId)));
}

export function listSyncRuns({ db, coachId }: CoachScope, limit = 20) {
  return db
    .select()
    .from(syncRuns)
    .where(eq(syncRuns.coachId, coachId))
    .orderBy(desc(syncRuns.startedAt))
    .limit(limit);
}

export async function hasCompletedImport({ db, coachId }: CoachScope) {
  const row = await db.query.syncRuns.findFirst({
    where: and(
      eq(syncRuns.coachId, coachId),
      eq(syncRuns.kind, "import"),
      eq(syncRuns.status, "done"),
    ),
  });
  return Boolean(row);
}
