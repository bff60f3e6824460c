/**
 * Fake Calendly webhooks (contract §3): signed deliveries `t=<s>,v1=<hex HMAC(key, t + "." +
 * body)>` to every active subscription that wants the event, with the subscription's own key for
 * personal-access-token subscriptions and the app-wide CALENDLY_WEBHOOK_SIGNING_KEY for OAuth ones
 * (personal-tokens.ts decides which at create). Failures follow webhook-retry.ts (410 deletes the
 * subscription, the rest retry for 24 hours, then it is disabled); the 5-minute cron sends retries
 * and held or delayed deliveries. Failure modes (webhook-modes.ts) let tests watch Kairos cope
 * with duplicates, losses, delays and deliveries out of order.
 */
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { hmacSha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { sbDeliveries, sbEvents, sbInvitees, sbSubscriptions, sbUsers } from "../db/schema";
import { scheduledEventResource } from "./event-resource";
import { inviteeResource } from "./resources";
import { getSettings, iso6, type SandboxDb, sandboxDb, uris } from "./store";
import { type Copy, copiesOf, HOLD_MS, orderWithin, releasesHeld } from "./webhook-modes";
import { afterFailure } from "./webhook-retry";

export type Envelope = {
  event: string;
  created_at: string;
  created_by: string;
  payload: Record<string, unknown>;
};
type Subscription = typeof sbSubscriptions.$inferSelect;
type Delivery = typeof sbDeliveries.$inferSelect;

export async function signatureFor(key: string, body: string, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${await hmacSha256Hex(key, `${t}.${body}`)}`;
}

/** The invitee payload with its scheduled event embedded, as Calendly sends it. */
export async function inviteeEnvelope(
  env: Env,
  db: SandboxDb,
  event: string,
  inviteeId: string,
): Promise<Envelope> {
  const invitee = await db.query.sbInvitees.findFirst({ where: eq(sbInvitees.id, inviteeId) });
  if (!invitee) throw new Error(`no invitee ${inviteeId}`);
  const ev = await db.query.sbEvents.findFirst({ where: eq(sbEvents.id, invitee.eventId) });
  const user = ev && (await db.query.sbUsers.findFirst({ where: eq(sbUsers.id, ev.userId) }));
  if (!ev || !user) throw new Error("dangling invitee");
  return {
    event,
    created_at: iso6(Date.now()),
    created_by: uris(env.CALENDLY_API_BASE).user(user.id),
    payload: {
      ...inviteeResource(env.CALENDLY_API_BASE, env.APP_URL, invitee),
      scheduled_event: await scheduledEventResource(env, db, ev),
    },
  };
}

/**
 * Queues one action's `envelopes` (in Calendly's order) to every active subscription of the user
 * that wants them, and sends what is due now, one after another like a single sender.
 */
export async function emit(
  env: Env,
  userId: string,
  envelopes: Envelope[],
  waitUntil: (p: Promise<unknown>) => void,
  now = Date.now(),
) {
  const db = sandboxDb(env);
  const { webhookMode: mode } = await getSettings(db);
  const subs = await db
    .select()
    .from(sbSubscriptions)
    .where(and(eq(sbSubscriptions.userId, userId), eq(sbSubscriptions.state, "active")));
  const at = uris(env.CALENDLY_API_BASE);
  const due: Delivery[] = [];
  for (const sub of subs) {
    const wanted = envelopes.filter((e) => sub.events.includes(e.event));
    if (!wanted.length) continue;
    const waiting = releasesHeld(mode) ? await heldFor(db, sub.id) : [];
    const holdThisAction = waiting.length === 0;
    const rows = orderWithin(wanted, mode).flatMap((envelope) =>
      copiesOf(mode, holdThisAction).map((copy) =>
        // created_by names the subscription's creator (contract §3.3), per subscription.
        deliveryRow(sub, { ...envelope, created_by: at.user(sub.userId) }, copy, now),
      ),
    );
    if (rows.length) await db.insert(sbDeliveries).values(rows);
    due.push(...rows.filter((r) => r.status === "pending" && r.nextAttemptAt === null));
    due.push(...waiting); // the overtaken deliveries of earlier actions go last
  }
  if (!due.length) return;
  // Claim the released ones first, so the cron does not send them a second time.
  for (const d of due.filter((r) => r.nextAttemptAt !== null)) {
    await db.update(sbDeliveries).set({ nextAttemptAt: null }).where(eq(sbDeliveries.id, d.id));
  }
  waitUntil(
    (async () => {
      for (const d of due) await attempt(env, db, d);
    })(),
  );
}

function deliveryRow(sub: Subscription, envelope: Envelope, copy: Copy, now: number): Delivery {
  return {
    id: newId("dlv"),
    subscriptionId: sub.id,
    event: envelope.event,
    body: JSON.stringify(envelope),
    status: copy === "lost" ? "lost" : "pending",
    attempts: 0,
    lastStatus: null,
    // Held rows wait past their creation; delayed ones are due at the next cron run.
    nextAttemptAt: copy === "held" ? now + HOLD_MS : copy === "delayed" ? now : null,
    createdAt: now,
  };
}

/** Deliveries of the subscription held back for the next action (due later than created). */
function heldFor(db: SandboxDb, subscriptionId: string) {
  return db
    .select()
    .from(sbDeliveries)
    .where(
      and(
        eq(sbDeliveries.subscriptionId, subscriptionId),
        eq(sbDeliveries.status, "pending"),
        gt(sbDeliveries.nextAttemptAt, sbDeliveries.createdAt),
      ),
    )
    .orderBy(asc(sbDeliveries.createdAt));
}

/** One delivery attempt; records the outcome and schedules a retry, or ends the subscription. */
export async function attempt(
  env: Env,
  db: SandboxDb,
  delivery: Delivery,
  now = Date.now(),
): Promise<{ status: number; body: string }> {
  const sub = await db.query.sbSubscriptions.findFirst({
    where: eq(sbSubscriptions.id, delivery.subscriptionId),
  });
  if (!sub) return { status: 0, body: "subscription deleted" };
  const result = await post(env, sub, delivery.body);
  const attempts = delivery.attempts + 1;
  const ok = result.status >= 200 && result.status < 300;
  const next = ok ? null : afterFailure(result.status, attempts, delivery.createdAt, now);
  await db
    .update(sbDeliveries)
    .set({
      attempts,
      lastStatus: result.status,
      status: ok ? "delivered" : "failed",
      nextAttemptAt: next?.action === "retry" ? next.at : null,
    })
    .where(eq(sbDeliveries.id, delivery.id));
  if (next?.action === "delete_subscription") {
    log.info("sandbox.webhook_gone", { subscription: sub.id });
    await db.delete(sbSubscriptions).where(eq(sbSubscriptions.id, sub.id));
  } else {
    await recordOutcome(db, sub, ok, next?.action === "disable_subscription", now);
  }
  return result;
}

async function post(env: Env, sub: Subscription, body: string) {
  const key = sub.signingKey ?? env.CALENDLY_WEBHOOK_SIGNING_KEY;
  try {
    const res = await fetch(sub.callbackUrl, {
      method: "POST",
      redirect: "manual", // Calendly treats redirects as failures
      headers: {
        "content-type": "application/json",
        // A fresh `t` on every attempt, on the real clock (receivers check it against theirs).
        "calendly-webhook-signature": await signatureFor(key, body),
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, body: (await res.text()).slice(0, 2000) };
  } catch (err) {
    log.warn("sandbox.webhook_delivery_failed", { subscription: sub.id, err });
    return { status: 0, body: String(err) };
  }
}

async function recordOutcome(
  db: SandboxDb,
  sub: Subscription,
  ok: boolean,
  disable: boolean,
  now: number,
) {
  await db
    .update(sbSubscriptions)
    .set({
      consecutiveFailures: ok ? 0 : sub.consecutiveFailures + 1,
      retryStartedAt: ok ? null : (sub.retryStartedAt ?? iso6(now)),
      ...(disable ? { state: "disabled" as const } : {}),
      updatedAt: iso6(now),
    })
    .where(eq(sbSubscriptions.id, sub.id));
}

/**
 * Cron: retry failed deliveries that are due, and send held or delayed ones whose time came. Once
 * the mode that held deliveries back is switched off, they are all due: switching back to `normal`
 * and running the cron flushes everything (`npm run chaos` relies on that).
 */
export async function retryDueDeliveries(env: Env, now = Date.now()) {
  const db = sandboxDb(env);
  const { webhookMode } = await getSettings(db);
  const dueOf = (status: "pending" | "failed", until: number) =>
    db
      .select()
      .from(sbDeliveries)
      .where(and(eq(sbDeliveries.status, status), lte(sbDeliveries.nextAttemptAt, until)))
      .orderBy(asc(sbDeliveries.createdAt))
      .limit(50);
  const pending = await dueOf("pending", releasesHeld(webhookMode) ? now : Number.MAX_SAFE_INTEGER);
  for (const d of [...pending, ...(await dueOf("failed", now))]) {
    const sub = await db.query.sbSubscriptions.findFirst({
      where: eq(sbSubscriptions.id, d.subscriptionId),
    });
    if (sub?.state === "active") await attempt(env, db, d, now);
  }
}
