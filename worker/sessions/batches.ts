/**
 * Batch actions: cancel or mark no-show for many sessions at once (or "emergency day off": cancel a
 * whole day with one reason), or export a selection (each session is refreshed from Calendly first,
 * then GET /api/batches/{id}/sessions.csv|ics serves them). A batch and its items are written in one
 * D1 batch, then each item runs as its own `jobs` message, so progress is visible item by item and
 * one failure stops nothing.
 */
import { TZDate } from "@date-fns/tz";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { refreshEvent } from "../bookings/reconcile";
import { inChunks } from "../db/client";
import {
  type BATCH_ACTIONS,
  batchItems,
  batchJobs,
  coaches,
  invitees,
  sessions,
} from "../db/schema";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { enqueueJobs } from "../queues/job";
import { cancelSession, setNoShow } from "./actions";

export type BatchAction = (typeof BATCH_ACTIONS)[number];
/** Transient upstream trouble is retried by the queue this many times before the item fails. */
const MAX_ATTEMPTS = 4;

/** Active sessions starting on `day` (YYYY-MM-DD) in the coach's own time zone, still ahead. */
export async function sessionsOfDay({ db, coachId }: CoachScope, day: string) {
  const coach = await db.query.coaches.findFirst({ where: eq(coaches.id, coachId) });
  if (!coach) throw new AppError("unauthenticated", "Please sign in to continue.");
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const start = new TZDate(y, m - 1, d, coach.timeZone);
  const end = new TZDate(y, m - 1, d + 1, coach.timeZone);
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.coachId, coachId),
        eq(sessions.status, "active"),
        gte(sessions.startsAt, new Date(Math.max(start.getTime(), Date.now()))),
        lt(sessions.startsAt, new Date(end.getTime())),
      ),
    );
  return rows.map((r) => r.id);
}

export async function startBatch(
  env: Env,
  scope: CoachScope,
  input: { action: BatchAction; sessionIds: string[]; reason?: string },
) {
  const { db, coachId } = scope;
  const ids = [...new Set(input.sessionIds)];
  if (ids.length === 0) throw new AppError("validation_failed", "No sessions to act on.");
  const owned = await inChunks(ids, (chunk) =>
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.coachId, coachId), inArray(sessions.id, chunk))),
  );
  if (owned.length !== ids.length) {
    throw new AppError("not_found", "Some of these sessions do not exist.");
  }
  const batchId = newId("bat");
  await db.batch([
    db.insert(batchJobs).values({
      id: batchId,
      coachId,
      action: input.action,
      reason: input.reason ?? null,
      total: ids.length,
    }),
    // 30 rows per statement keeps each under D1's 100 bound parameters.
    ...Array.from({ length: Math.ceil(ids.length / 30) }, (_, i) =>
      db
        .insert(batchItems)
        .values(
          ids
            .slice(i * 30, i * 30 + 30)
            .map((sessionId) => ({ batchId, sessionId, status: "pending" as const })),
        ),
    ),
  ]);
  await enqueueJobs(
    env,
    ids.map((sessionId) => ({ type: "batch.item", coachId, batchId, sessionId })),
  );
  return batchId;
}

/** The coach's batch and its items, each labelled with its session's name and start (if any). */
export async function getBatch({ db, coachId }: CoachScope, batchId: string) {
  const batch = await db.query.batchJobs.findFirst({
    where: and(eq(batchJobs.id, batchId), eq(batchJobs.coachId, coachId)),
  });
  if (!batch) throw new AppError("not_found", "No such batch.");
  const items = await db
    .select({
      sessionId: batchItems.sessionId,
      status: batchItems.status,
      message: batchItems.message,
      name: sessions.name,
      startsAt: sessions.startsAt,
    })
    .from(batchItems)
    .leftJoin(sessions, and(eq(sessions.id, batchItems.sessionId), eq(sessions.coachId, coachId)))
    .where(eq(batchItems.batchId, batchId))
    .orderBy(asc(sessions.startsAt), asc(batchItems.sessionId));
  return { batch, items };
}

type Outcome = { status: "done" | "failed"; message: string | null };

const EXPORT_MESSAGES = {
  fresh: "Up to date with Calendly",
  unreachable: "Calendly unreachable; exported Kairos's last copy",
  gone: "Not found at Calendly; exported Kairos's copy",
  failed: "Could not refresh from Calendly; exported Kairos's last copy",
};

/** An export item: bring Kairos's copy up to date with Calendly (webhooks may have been missed). */
async function refreshForExport(env: Env, scope: CoachScope, sessionId: string): Promise<Outcome> {
  const { db, coachId } = scope;
  const [session] = await db
    .select({ calendlyUri: sessions.calendlyUri })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.coachId, coachId)));
  if (!session) return { status: "failed", message: "This session is no longer in Kairos." };
  await refreshEvent(env, scope, session.calendlyUri);
  return { status: "done", message: EXPORT_MESSAGES.fresh };
}

/** An export never loses a row because Calendly could not help: the item is done either way. */
function exportFallback(e: AppError | null): Outcome {
  const upstream = (e?.details as { upstream?: unknown } | undefined)?.upstream;
  if (e?.code === "not_found" && upstream === "calendly") {
    return { status: "done", message: EXPORT_MESSAGES.gone };
  }
  const unreachable = e?.code === "upstream_unavailable" || e?.code === "rate_limited";
  return {
    status: "done",
    message: unreachable ? EXPORT_MESSAGES.unreachable : EXPORT_MESSAGES.failed,
  };
}

/** One item of a batch. Rethrows transient failures (the queue retries); records the rest. */
export async function runBatchItem(
  env: Env,
  scope: CoachScope,
  job: { batchId: string; sessionId: string },
  attempt: number,
) {
  const { db, coachId } = scope;
  const [batch] = await db
    .select({ action: batchJobs.action, reason: batchJobs.reason, item: batchItems.status })
    .from(batchJobs)
    .innerJoin(
      batchItems,
      and(eq(batchItems.batchId, batchJobs.id), eq(batchItems.sessionId, job.sessionId)),
    )
    .where(and(eq(batchJobs.id, job.batchId), eq(batchJobs.coachId, coachId)));
  if (!batch || batch.item !== "pending") return; // a redelivery of a settled item
  let outcome: Outcome;
  try {
    if (batch.action === "export") {
      outcome = await refreshForExport(env, scope, job.sessionId);
    } else {
      if (batch.action === "cancel") {
        await cancelSession(env, scope, job.sessionId, batch.reason || "Canceled by the coach");
      } else {
        const people = await db
          .select({ id: invitees.id })
          .from(invitees)
          .where(
            and(
              eq(invitees.coachId, coachId),
              eq(invitees.sessionId, job.sessionId),
              eq(invitees.status, "active"),
            ),
          );
        for (const p of people) await setNoShow(env, scope, job.sessionId, p.id, true);
      }
      outcome = { status: "done", message: null };
    }
  } catch (err) {
    const e = err instanceof AppError ? err : null;
    const transient = e?.code === "upstream_unavailable" || e?.code === "rate_limited" || !e;
    if (transient && attempt < MAX_ATTEMPTS) throw err;
    outcome = givingUp(batch.action, e);
  }
  await settleBatchItem(db, job, outcome);
}

/** The outcome of an item Kairos stops trying (an export still has Kairos's copy to give). */
function givingUp(action: BatchAction, e: AppError | null): Outcome {
  if (action === "export") return exportFallback(e);
  return { status: "failed", message: e?.message ?? "Something went wrong. Please try again." };
}

/**
 * Records an item's outcome once (a settled item is never changed again) and recounts the batch from
 * its items, so concurrent or repeated deliveries can never count an item twice.
 */
async function settleBatchItem(
  db: CoachScope["db"],
  job: { batchId: string; sessionId: string },
  outcome: Outcome,
) {
  const count = (status: "pending" | "done" | "failed") =>
    sql<number>`(select count(*) from ${batchItems} where ${batchItems.batchId} = ${job.batchId} and ${batchItems.status} = ${status})`;
  await db.batch([
    db
      .update(batchItems)
      .set({ ...outcome, updatedAt: new Date() })
      .where(
        and(
          eq(batchItems.batchId, job.batchId),
          eq(batchItems.sessionId, job.sessionId),
          eq(batchItems.status, "pending"),
        ),
      ),
    db
      .update(batchJobs)
      .set({
        succeeded: count("done"),
        failed: count("failed"),
        finishedAt: sql`case when ${count("pending")} = 0 then coalesce(${batchJobs.finishedAt}, ${Date.now()}) else null end`,
      })
      .where(eq(batchJobs.id, job.batchId)),
  ]);
}

/** A batch item whose message ran out of retries (dead-lettered): settle it so the batch can finish. */
export async function abandonBatchItem(
  db: CoachScope["db"],
  job: { coachId: string; batchId: string; sessionId: string },
) {
  const batch = await db.query.batchJobs.findFirst({
    where: and(eq(batchJobs.id, job.batchId), eq(batchJobs.coachId, job.coachId)),
  });
  if (batch) await settleBatchItem(db, job, givingUp(batch.action, null));
}
