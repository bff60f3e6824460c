/** Reconcile runs: created per window, advanced page by page, finished or failed with a reason. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { CoachScope } from "../env";
import { newId } from "../lib/ids";
import { syncRuns } from "./schema";

export type SyncKind = (typeof syncRuns.$inferSelect)["kind"];

/**
 * Inserts a running run, or returns null when the coach already has one: the partial unique index
 * `sync_runs_one_running` decides, so two concurrent starts can never both run.
 */
export async function startSyncRun(
  { db, coachId }: CoachScope,
  kind: SyncKind,
  window: { start: Date; end: Date },
  now = new Date(),
): Promise<string | null> {
  const id = newId("syn");
  const inserted = await db
    .insert(syncRuns)
    .values({
      id,
      coachId,
      kind,
      status: "running",
      windowStart: window.start,
      windowEnd: window.end,
      startedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: syncRuns.id });
  return inserted[0]?.id ?? null;
}

export function findRunningSyncRun({ db, coachId }: CoachScope) {
  return db.query.syncRuns.findFirst({
    where: and(eq(syncRuns.coachId, coachId), eq(syncRuns.status, "running")),
  });
}

/** When a running run last showed life: its last applied page, or its start. */
export const lastProgress = (run: { startedAt: Date; progressAt: Date | null }) =>
  run.progressAt ?? run.startedAt;

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
      progressAt: new Date(),
      ...(page.nextCursor ? {} : { status: "done" as const, finishedAt: new Date() }),
    })
    .where(and(eq(syncRuns.id, id), eq(syncRuns.coachId, coachId)));
}

/** Fails a run that is still running (a finished run keeps its outcome). */
export async function failSyncRun({ db, coachId }: CoachScope, id: string, error: string) {
  await db
    .update(syncRuns)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(and(eq(syncRuns.id, id), eq(syncRuns.coachId, coachId), eq(syncRuns.status, "running")));
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
