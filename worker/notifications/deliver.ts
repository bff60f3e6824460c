/**
 * Sends one claimed outbox row: re-read the chain, derive (./derive.ts), check the recipient may be
 * mailed, render, send through the configured transport, and record what was sent. Every outcome is
 * settled only while this claim is still the row's (a re-claim after a lost message supersedes it),
 * so one row is sent at most once however often its message is delivered.
 */
import { getCoach } from "../db/coaches";
import type { StoredMessage } from "../db/schema";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { chainOfInviteeId, loadChain } from "./chain";
import { deliveryBlock, renderMessage, unsubscribeHeaders } from "./collaborators";
import { derive } from "./derive";
import { categoryOf, type NotificationKind } from "./kinds";
import { type Claim, getOutboxRow, settle } from "./outbox";
import { emailFrom, transportFor } from "./transport";
import { readyZoomLink } from "./zoom-link";

export type DeliveryOutcome = "sent" | "skipped" | "revoked" | "failed" | "stale";

export async function deliverClaim(
  env: Env,
  scope: CoachScope,
  claim: Claim,
  now = new Date(),
): Promise<DeliveryOutcome> {
  const row = await getOutboxRow(scope, claim.outboxId);
  if (!row || row.status !== "claimed" || row.claimedAt?.getTime() !== claim.claimedAt)
    return "stale";
  const mine = { id: row.id, claimedAt: new Date(claim.claimedAt) };
  const kind = row.kind as NotificationKind;

  let message: StoredMessage;
  if (row.resendOf && row.message) {
    // A coach's resend repeats what was sent, word for word.
    message = row.message;
  } else {
    const coach = await getCoach(scope.db, scope.coachId);
    if (!coach) return "stale";
    const chainId =
      (row.inviteeId && (await chainOfInviteeId(scope, row.inviteeId))) || row.chainId;
    const chain = chainId ? await loadChain(scope, chainId) : null;
    const zoom = chain ? await readyZoomLink(scope, chain.current.session.id) : null;
    const verdict = derive(env, row, chain, coach, now, zoom);
    if ("skip" in verdict) {
      await settle(scope, mine, { status: verdict.status, skipReason: verdict.skip });
      return verdict.status;
    }
    const ctx = verdict.send;
    const rendered = await renderMessage(scope, ctx);
    const category = categoryOf(kind);
    const unsubscribe =
      category === "transactional"
        ? {}
        : await unsubscribeHeaders(env, { coachId: scope.coachId, email: row.recipient, category });
    message = {
      from: emailFrom(env),
      to: row.recipient,
      replyTo: ctx.recipient.email === coach.email ? undefined : coach.email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: { ...rendered.headers, ...unsubscribe },
      attachments: rendered.attachments,
    };
  }

  const blocked = await deliveryBlock(scope, {
    email: row.recipient,
    category: categoryOf(kind),
    channel: "email",
  });
  if (blocked) {
    await settle(scope, mine, { status: "skipped", skipReason: blocked.reason });
    return "skipped";
  }

  const transport = transportFor(env);
  const { providerMessageId } = await transport.send({ id: row.id, ...message });
  const recorded = await settle(scope, mine, {
    status: "sent",
    transport: transport.name,
    providerMessageId,
    sentAt: new Date(),
    message,
    attempts: row.attempts + 1,
    lastError: null,
  });
  if (!recorded) log.warn("notifications.sent_unrecorded", { id: row.id });
  return "sent";
}

/** Gives a row up: a permanent failure, or the last retry failed. */
export async function failClaim(scope: CoachScope, claim: Claim, err: unknown) {
  const reason =
    err instanceof AppError ? `${err.code}: ${err.message}` : "Unexpected error while sending.";
  await settle(
    scope,
    { id: claim.outboxId, claimedAt: new Date(claim.claimedAt) },
    { status: "failed", lastError: reason.slice(0, 500) },
  );
}
