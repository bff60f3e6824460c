/**
 * Communication history: the messages of a session (its whole booking chain, so a moved session
 * shows what was sent about its earlier times) or of a client, and the coach's resend of one.
 */
import { and, eq, inArray } from "drizzle-orm";
import { inChunks } from "../db/client";
import { invitees, type NotificationStatus, notificationOutbox, sessions } from "../db/schema";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { loadChain } from "./chain";
import type { NotificationKind } from "./kinds";
import { claimDue, enqueueClaims, listMessages, type OutboxRow, planMessages } from "./outbox";

export type MessageView = {
  id: string;
  kind: string;
  to: string;
  subject: string | null;
  status: NotificationStatus;
  skipReason: string | null;
  dueAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  sessionId: string | null;
  resendOf: string | null;
};

export const view = (r: OutboxRow): MessageView => ({
  id: r.id,
  kind: r.kind,
  to: r.recipient,
  subject: r.message?.subject ?? null,
  status: r.status,
  skipReason: r.skipReason,
  dueAt: r.dueAt.toISOString(),
  sentAt: r.sentAt?.toISOString() ?? null,
  attempts: r.attempts,
  lastError: r.lastError,
  sessionId: r.sessionId,
  resendOf: r.resendOf,
});

export async function sessionMessages(scope: CoachScope, sessionId: string) {
  const session = await scope.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.coachId, scope.coachId), eq(sessions.id, sessionId)))
    .get();
  if (!session) throw new AppError("not_found", "No such session.");
  const chains = await scope.db
    .select({ chainId: invitees.chainId, id: invitees.id })
    .from(invitees)
    .where(and(eq(invitees.coachId, scope.coachId), eq(invitees.sessionId, sessionId)))
    .all();
  const chainIds = chains.map((c) => c.chainId ?? c.id);
  // Every session of those chains: the messages about a moved booking's earlier times too.
  // In chunks: D1 binds at most 100 parameters.
  const related = await inChunks(chainIds, (chunk) =>
    scope.db
      .select({ sessionId: invitees.sessionId })
      .from(invitees)
      .where(and(eq(invitees.coachId, scope.coachId), inArray(invitees.chainId, chunk)))
      .all(),
  );
  const ids = [...new Set([sessionId, ...related.map((r) => r.sessionId)])];
  return (await listMessages(scope, { sessionIds: ids })).map(view);
}

export async function clientMessages(scope: CoachScope, email: string) {
  return (await listMessages(scope, { recipient: email.toLowerCase() })).map(view);
}

/** Sends a sent message again, word for word, as a new outbox row; it goes out at once. */
export async function resendMessage(env: Env, scope: CoachScope, id: string, now = new Date()) {
  const original = await scope.db
    .select()
    .from(notificationOutbox)
    .where(and(eq(notificationOutbox.coachId, scope.coachId), eq(notificationOutbox.id, id)))
    .get();
  if (!original) throw new AppError("not_found", "No such message.");
  if (original.status !== "sent" || !original.message)
    throw new AppError("conflict", "Only a message that was sent can be sent again.");
  await assertStillTrue(scope, original);
  const key = `resend|${original.id}|${newId("r")}`;
  await planMessages(scope, [
    {
      chainId: original.chainId,
      sessionId: original.sessionId,
      inviteeId: original.inviteeId,
      kind: original.kind as NotificationKind,
      recipient: original.recipient,
      idempotencyKey: key,
      dueAt: now,
      message: original.message,
      resendOf: original.id,
    },
  ]);
  const row = await scope.db
    .select()
    .from(notificationOutbox)
    .where(
      and(
        eq(notificationOutbox.coachId, scope.coachId),
        eq(notificationOutbox.idempotencyKey, key),
      ),
    )
    .get();
  if (!row) throw new AppError("internal", "The resend could not be recorded.");
  if (row.chainId) {
    const claims = await claimDue(scope.db, now, { coachId: scope.coachId, chainId: row.chainId });
    if (claims.length > 0) await enqueueClaims(env, claims);
  }
  return view(row);
}

/**
 * A stored message repeats what was true when it went out. Once the booking moved or was canceled
 * it would tell the client a wrong time, so it is not sent again (a cancellation notice still is).
 */
async function assertStillTrue(scope: CoachScope, original: OutboxRow) {
  if (original.kind === "cancellation_notice" || original.kind === "coach_cancellation") return;
  const chain = original.chainId ? await loadChain(scope, original.chainId) : null;
  if (!chain || !original.sessionId) return;
  const { current } = chain;
  if (!chain.active)
    throw new AppError(
      "conflict",
      "This booking was canceled since the message was sent, so it is not sent again.",
    );
  // A move makes a new session; a reminder also recorded the start it was about.
  const sent = original.plannedStartAt;
  if (
    current.session.id !== original.sessionId ||
    (sent && sent.getTime() !== current.session.startsAt.getTime())
  )
    throw new AppError(
      "conflict",
      "This booking has moved since the message was sent, so it is not sent again; its current messages tell the new time.",
    );
}
