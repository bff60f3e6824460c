/**
 * Keeps one live Calendly webhook subscription per coach: reuses it when Calendly still has it
 * active, recreates it (new id, new signing key) when it was disabled or deleted. Calendly offers no
 * re-enable, so "recreate" is the only repair. The callback URL names our row, which names the coach.
 */
import { and, eq } from "drizzle-orm";
import { sealSigningKey } from "../auth/token-vault";
import { audit } from "../db/audit";
import { getCoach } from "../db/coaches";
import { webhookSubscriptions } from "../db/schema";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import { uuidOf } from "./schemas";

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
  const created = await calendly.createSubscription({
    url: `${env.APP_URL}/webhooks/calendly/${id}`,
    events: CALENDLY_WEBHOOK_EVENTS,
    organization: coach.organizationUri,
    user: coach.calendlyUserUri,
    scope: "user",
    signing_key: signingKey,
  });
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
