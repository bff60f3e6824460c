/**
 * Fake Calendly webhooks (contract §3): subscriptions (409 on a duplicate URL, write-only signing
 * key), signed deliveries `t=<s>,v1=<hex HMAC(key, t + "." + body)>`, failures retried by the
 * 5-minute cron with backoff until the subscription is disabled, and failure modes (duplicate, lost,
 * delayed, out of order) for testing what Kairos does when the network misbehaves.
 */
import { and, asc, eq, lte } from "drizzle-orm";
import { hmacSha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { sbDeliveries, sbEvents, sbInvitees, sbSubscriptions, sbUsers } from "../db/schema";
import { eventResource, inviteeResource } from "./resources";
import { getSettings, iso6, type SandboxDb, sandboxDb, uris } from "./store";

export type Envelope = {
  event: string;
  created_at: string;
  created_by: string;
  payload: Record<string, unknown>;
};
type Subscription = typeof sbSubscriptions.$inferSelect;
type Delivery = typeof sbDeliveries.$inferSelect;

const RETRY_BASE_MS = 60_000;

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
  const active = await db.$count(
    sbInvitees,
    and(eq(sbInvitees.eventId, ev.id), eq(sbInvitees.status, "active")),
  );
  return {
    event,
    created_at: iso6(Date.now()),
    created_by: uris(env.CALENDLY_API_BASE).user(user.id),
    payload: {
      ...inviteeResource(env.CALENDLY_API_BASE, env.APP_URL, invitee),
      scheduled_event: eventResource(env.CALENDLY_API_BASE, user, ev, active, 1),
    },
  };
}

/** Queues `envelopes` (in order) to every active subscription of the user that wants them. */
export async function emit(
  env: Env,
  userId: string,
  envelopes: Envelope[],
  waitUntil: (p: Promise<unknown>) => void,
) {
  const db = sandboxDb(env);
  const settings = await getSettings(db);
  const subs = await db
    .select()
    .from(sbSubscriptions)
    .where(and(eq(sbSubscriptions.userId, userId), eq(sbSubscriptions.state, "active")));
  const mode = settings.webhookMode;
  const ordered =
    mode === "out_of_order" || mode === "chaos" ? shuffleOrReverse(envelopes, mode) : envelopes;
  const now = Date.now();
  const due: Delivery[] = [];
  for (const sub of subs) {
    for (const envelope of ordered.filter((e) => sub.events.includes(e.event))) {
      const fate = fateOf(mode);
      for (let i = 0; i < (fate === "duplicate" ? 2 : 1); i++) {
        const row: Delivery = {
          id: newId("dlv"),
          subscriptionId: sub.id,
          event: envelope.event,
          body: JSON.stringify(envelope),
          status: fate === "lost" ? "lost" : "pending",
          attempts: 0,
          lastStatus: null,
          nextAttemptAt: fate === "delayed" ? now : null,
          createdAt: now,
        };
        await db.insert(sbDeliveries).values(row);
        if (fate === "now" || fate === "duplicate") due.push(row);
      }
    }
  }
  // Deliver in order, one after another, like a single sender would.
  if (due.length)
    waitUntil(
      (async () => {
        for (const d of due) await attempt(env, db, d);
      })(),
    );
}

type Fate = "now" | "lost" | "duplicate" | "delayed";

function fateOf(mode: string): Fate {
  if (mode === "lost") return "lost";
  if (mode === "duplicate") return "duplicate";
  if (mode === "delayed") return "delayed";
  if (mode !== "chaos") return "now";
  const r = Math.random();
  return r < 0.2 ? "lost" : r < 0.4 ? "duplicate" : r < 0.7 ? "delayed" : "now";
}

function shuffleOrReverse<T>(items: T[], mode: string): T[] {
  if (mode === "out_of_order") return [...items].reverse();
  return [...items].sort(() => Math.random() - 0.5);
}

/** One delivery attempt; records the outcome and schedules a retry or disables the subscription. */
export async function attempt(
  env: Env,
  db: SandboxDb,
  delivery: Delivery,
): Promise<{ status: number; body: string }> {
  const sub = await db.query.sbSubscriptions.findFirst({
    where: eq(sbSubscriptions.id, delivery.subscriptionId),
  });
  if (!sub) return { status: 0, body: "subscription deleted" };
  const result = await post(env, sub, delivery.body);
  const ok = result.status >= 200 && result.status < 300;
  const attempts = delivery.attempts + 1;
  await db
    .update(sbDeliveries)
    .set({
      attempts,
      lastStatus: result.status,
      status: ok ? "delivered" : "failed",
      nextAttemptAt: ok ? null : Date.now() + RETRY_BASE_MS * 2 ** Math.min(attempts, 10),
    })
    .where(eq(sbDeliveries.id, delivery.id));
  await recordOutcome(db, sub, ok);
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

async function recordOutcome(db: SandboxDb, sub: Subscription, ok: boolean) {
  const failures = ok ? 0 : sub.consecutiveFailures + 1;
  const { webhookDisableAfterFailures } = await getSettings(db);
  const disable = !ok && failures >= webhookDisableAfterFailures;
  await db
    .update(sbSubscriptions)
    .set({
      consecutiveFailures: failures,
      retryStartedAt: ok ? null : (sub.retryStartedAt ?? iso6(Date.now())),
      ...(disable ? { state: "disabled" as const } : {}),
      updatedAt: iso6(Date.now()),
    })
    .where(eq(sbSubscriptions.id, sub.id));
}

/** Cron: retry failed deliveries that are due, and send delayed ones. */
export async function retryDueDeliveries(env: Env) {
  const db = sandboxDb(env);
  const due = await db
    .select()
    .from(sbDeliveries)
    .where(and(eq(sbDeliveries.status, "failed"), lte(sbDeliveries.nextAttemptAt, Date.now())))
    .orderBy(asc(sbDeliveries.createdAt))
    .limit(50);
  const delayed = await db
    .select()
    .from(sbDeliveries)
    .where(and(eq(sbDeliveries.status, "pending"), lte(sbDeliveries.nextAttemptAt, Date.now())))
    .limit(50);
  for (const d of [...delayed, ...due]) {
    const sub = await db.query.sbSubscriptions.findFirst({
      where: eq(sbSubscriptions.id, d.subscriptionId),
    });
    if (sub?.state === "active") await attempt(env, db, d);
  }
}
