/**
 * Keeps one live Calendly webhook subscription per coach: reuses it when Calendly still has it
 * active, recreates it (new id, new signing key) when it was disabled or deleted. Calendly offers no
 * re-enable, so "recreate" is the only repair. The callback URL names our row, which names the coach.
 * A plan that does not include webhooks (403 "Please upgrade…"; before 2026-11-03 that was every
 * Free account) is a known state, not a failure: it is recorded on the connection (Settings explains
 * it, the reconcile runs more often) and the job ends normally, so nothing retries or dead-letters.
 * Each health check asks again, so an upgrade is noticed within minutes.
 */
import { and, eq, gt, isNull, ne, or } from "drizzle-orm";
import { sealSigningKey } from "../auth/token-vault";
import { audit } from "../db/audit";
import { getCoach } from "../db/coaches";
import {
  coaches,
  providerConnections,
  type WebhookAvailability,
  webhookSubscriptions,
} from "../db/schema";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import { uuidOf } from "./schemas";

/** How often a coach without webhooks is reconciled at the most (worker/cron/due-syncs.ts). */
export const NO_WEBHOOKS_INTERVAL_MINUTES = 15;

export const CALENDLY_WEBHOOK_EVENTS = [
  "invitee.created",
  "invitee.canceled",
  "invitee_no_show.created",
  "invitee_no_show.deleted",
  "event_type.created",
  "event_type.updated",
  "event_type.deleted",
];

export async function ensureCalendlySubscription(env: Env, scope: CoachScope) {
  const { db, coachId } = scope;
  const coach = await getCoach(db, coachId);
  if (!coach?.organizationUri)
    throw new AppError("not_found", "Coach has no Calendly organization.");
  const calendly = calendlyFor(env, coachId);

  const current = await db.query.webhookSubscriptions.findFirst({
    where: and(
      eq(webhookSubscriptions.coachId, coachId),
      eq(webhookSubscriptions.provider, "calendly"),
    ),
  });
  if (current) {
    const remote = await calendly.getSubscription(uuidOf(current.uri)).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "not_found") return null;
      throw err;
    });
    if (remote?.state === "active") return { action: "kept" as const, id: current.id };
    if (remote) await calendly.deleteSubscription(uuidOf(current.uri));
    await db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, current.id));
  }

  const id = newId("whs");
  const signingKey = randomToken(32);
  const created = await calendly
    .createSubscription({
      url: `${env.APP_URL}/webhooks/calendly/${id}`,
      events: CALENDLY_WEBHOOK_EVENTS,
      organization: coach.organizationUri,
      user: coach.calendlyUserUri,
      scope: "user",
      signing_key: signingKey,
    })
    .catch((err: unknown) => {
      if (isPlanRefusal(err)) return null;
      throw err;
    });
  if (!created) {
    if (await setWebhookAvailability(scope, "unavailable_on_plan")) {
      // From now on the reconcile is the only news of bookings: bring the next one forward.
      const soon = new Date(Date.now() + NO_WEBHOOKS_INTERVAL_MINUTES * 60_000);
      await db
        .update(coaches)
        .set({ nextSyncAt: soon })
        .where(
          and(
            eq(coaches.id, coachId),
            or(isNull(coaches.nextSyncAt), gt(coaches.nextSyncAt, soon)),
          ),
        );
      await audit(db, {
        coachId,
        actor: "system",
        action: "webhook_subscription.unavailable_on_plan",
        subject: coach.calendlyUserUri,
      });
    }
    return { action: "unavailable_on_plan" as const, id: null };
  }
  await setWebhookAvailability(scope, "available");
  await db.insert(webhookSubscriptions).values({
    id,
    coachId,
    provider: "calendly",
    uri: created.uri,
    callbackUrl: created.callback_url,
    events: created.events,
    state: created.state,
    signingKeyEnc: await sealSigningKey(env.ENCRYPTION_KEYS, coachId, "calendly", signingKey),
  });
  await audit(db, {
    coachId,
    actor: "system",
    action: current ? "webhook_subscription.recreated" : "webhook_subscription.created",
    subject: created.uri,
  });
  return { action: current ? ("recreated" as const) : ("created" as const), id };
}

/** Calendly's plan refusal, as worker/upstream/errors.ts marks it (`details.reason: "plan"`). */
const isPlanRefusal = (err: unknown) =>
  err instanceof AppError &&
  err.code === "forbidden" &&
  (err.details as { reason?: string } | undefined)?.reason === "plan";

/** Records what Calendly allows; true when that changed (so the change is audited once). */
async function setWebhookAvailability({ db, coachId }: CoachScope, to: WebhookAvailability) {
  const changed = await db
    .update(providerConnections)
    .set({ webhookAvailability: to })
    .where(
      and(
        eq(providerConnections.coachId, coachId),
        eq(providerConnections.provider, "calendly"),
        ne(providerConnections.webhookAvailability, to),
      ),
    )
    .returning({ id: providerConnections.id });
  return changed.length > 0;
}
