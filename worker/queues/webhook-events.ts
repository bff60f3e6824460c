/**
 * The webhook-events consumer. A delivery message (sent by a webhook route after verification) is
 * stored once — dedupe key, `INSERT … ON CONFLICT DO NOTHING` — and then applied; a stored-event
 * message (replay, sweep, our own retry) applies a row already stored. A duplicate whose row is still
 * `received` is applied again (applying is idempotent), one already processed or failed is acked.
 *
 * Until its row exists a delivery retries as itself; after that it retries by row id, so retries and
 * dead letters never carry a payload. After the last retry a message lands in dead-letters; a row
 * left `received` by a crash is re-sent by the sweep (../cron/webhook-sweep.ts).
 *
 * Per batch, each subscription is resolved once, and each coach's availability cache and open
 * dashboards hear of the batch's changes once (after its messages settled), not once per message.
 */
import { bumpAvailabilityVersion } from "../availability/cache";
import { type AppliedChange, applyCalendlyEvent } from "../bookings/apply-calendly-event";
import { syncEventTypes } from "../calendly/sync-event-types";
import { dedupeKey, WebhookEnvelope } from "../calendly/webhook-envelope";
import { createDb, type Database } from "../db/client";
import {
  findWebhookEvent,
  markWebhookEvent,
  type StoredWebhookEventRow,
  storeWebhookEvent,
} from "../db/webhook-events";
import { findSubscriptionOwner } from "../db/webhook-subscriptions";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { ZoomEnvelope, zoomDedupeKey } from "../zoom/webhook-envelope";
import {
  type CalendlyDelivery,
  type StoredWebhookEvent,
  WebhookMessage,
  type ZoomDelivery,
} from "./webhook-message";

export { WebhookMessage } from "./webhook-message";

const decoder = new TextDecoder();

type Owner = Awaited<ReturnType<typeof findSubscriptionOwner>>;
/** What one batch shares: resolved subscriptions, and the changes to announce per coach. */
type BatchState = { owners: Map<string, Promise<Owner>>; changes: Map<string, AppliedChange[]> };
const newBatchState = (): BatchState => ({ owners: new Map(), changes: new Map() });

function ownerOf(db: Database, state: BatchState, subscriptionId: string) {
  let owner = state.owners.get(subscriptionId);
  if (!owner) {
    owner = findSubscriptionOwner(db, subscriptionId);
    state.owners.set(subscriptionId, owner);
    owner.catch(() => state.owners.delete(subscriptionId));
  }
  return owner;
}

/**
 * Stores a Calendly delivery for the coach its subscription names now. A subscription deleted since
 * the route checked it, or an app-key delivery whose creator is not that coach (the app-wide key is
 * shared by every coach, so it alone does not prove whose event this is), is dropped with a log.
 */
async function storeCalendlyDelivery(db: Database, state: BatchState, m: CalendlyDelivery) {
  const payload = decoder.decode(m.body);
  const envelope = WebhookEnvelope.parse(JSON.parse(payload));
  const owner = await ownerOf(db, state, m.subscriptionId);
  const why = !owner
    ? "unknown_subscription"
    : owner.coachId !== m.coachId
      ? "subscription_moved"
      : m.verifiedWith === "app_key" && envelope.created_by !== owner.calendlyUserUri
        ? "creator_mismatch"
        : null;
  if (why || !owner) {
    log.warn("webhook.dropped", { provider: "calendly", subscription: m.subscriptionId, why });
    return null;
  }
  return storeWebhookEvent(db, {
    provider: "calendly",
    dedupeKey: dedupeKey(envelope),
    event: envelope.event,
    coachId: owner.coachId,
    payload,
    receivedAt: new Date(m.receivedAt),
  });
}

async function storeZoomDelivery(db: Database, m: ZoomDelivery) {
  const payload = decoder.decode(m.body);
  const envelope = ZoomEnvelope.parse(JSON.parse(payload));
  return storeWebhookEvent(db, {
    provider: "zoom",
    dedupeKey: zoomDedupeKey(envelope),
    event: envelope.event,
    coachId: null,
    payload,
    receivedAt: new Date(m.receivedAt),
  });
}

/** Applies a stored row that is still `received` and marks it processed; returns the changes. */
export async function applyStoredWebhookEvent(
  env: Env,
  db: Database,
  row: StoredWebhookEventRow,
): Promise<AppliedChange[]> {
  if (row.status !== "received") return [];
  // Zoom deliveries are kept for the attendance work of a later issue; nothing reads them yet.
  if (row.provider === "zoom" || !row.coachId) {
    await markWebhookEvent(db, row.id, "processed");
    return [];
  }
  const envelope = WebhookEnvelope.parse(JSON.parse(row.payload));
  const scope = { db, coachId: row.coachId };
  // An event type changed at Calendly: its payload shape is loosely documented, so re-read the list.
  if (envelope.event.startsWith("event_type.")) await syncEventTypes(env, scope);
  const changes = await applyCalendlyEvent(scope, envelope);
  await markWebhookEvent(db, row.id, "processed");
  return changes;
}

/** New availability for the coach's widget, and a push to their open dashboards. */
async function announceChanges(env: Env, coachId: string, changes: AppliedChange[]) {
  await bumpAvailabilityVersion(env, coachId);
  const feed = env.COACH_FEED.get(env.COACH_FEED.idFromName(coachId));
  await feed.publish({ type: "sessions.changed", changes });
}

/** A 4xx AppError or an unreadable payload will fail the same way on every attempt. */
const isPermanent = (err: unknown) =>
  (err instanceof AppError && err.status < 500) ||
  err instanceof SyntaxError ||
  (err instanceof Error && err.name === "ZodError");

type Outcome = "ack" | { retryAfter: number };

async function settleDelivery(
  env: Env,
  db: Database,
  state: BatchState,
  m: CalendlyDelivery | ZoomDelivery,
  attempts: number,
  backoffSeconds: (attempts: number) => number,
): Promise<Outcome> {
  let stored: Awaited<ReturnType<typeof storeWebhookEvent>> | null;
  try {
    stored =
      m.provider === "calendly"
        ? await storeCalendlyDelivery(db, state, m)
        : await storeZoomDelivery(db, m);
  } catch (err) {
    // The route checked the envelope, so a permanent failure here is a bug: keep no half state.
    if (isPermanent(err)) {
      log.error("webhook.unstorable", { provider: m.provider, err });
      return "ack";
    }
    log.warn("webhook.store_failed", { provider: m.provider, attempts, err });
    return { retryAfter: backoffSeconds(attempts) };
  }
  if (!stored) return "ack";
  const stage = await applyOrFail(env, db, state, stored.row);
  if (stage === "done") return "ack";
  // Stored, not applied: retry by id from here on (no payload in retries or dead letters).
  try {
    await env.WEBHOOK_EVENTS.send(
      { provider: stored.row.provider, webhookEventId: stored.row.id } satisfies StoredWebhookEvent,
      { delaySeconds: backoffSeconds(attempts) },
    );
    return "ack";
  } catch (err) {
    log.warn("webhook.requeue_failed", { id: stored.row.id, err });
    return { retryAfter: backoffSeconds(attempts) }; // the redelivery finds the stored row
  }
}

/** "done" when applied or failed for good (row marked `failed`); "retry" when worth another try. */
async function applyOrFail(env: Env, db: Database, state: BatchState, row: StoredWebhookEventRow) {
  try {
    const changes = await applyStoredWebhookEvent(env, db, row);
    if (changes.length > 0 && row.coachId) {
      state.changes.set(row.coachId, [...(state.changes.get(row.coachId) ?? []), ...changes]);
    }
    return "done" as const;
  } catch (err) {
    const permanent = isPermanent(err);
    log.warn("webhook.process_failed", { id: row.id, permanent, err });
    if (!permanent) return "retry" as const;
    await markWebhookEvent(db, row.id, "failed");
    return "done" as const;
  }
}

async function settle(
  env: Env,
  db: Database,
  state: BatchState,
  message: WebhookMessage,
  attempts: number,
  backoffSeconds: (attempts: number) => number,
): Promise<Outcome> {
  if (!("webhookEventId" in message)) {
    return settleDelivery(env, db, state, message, attempts, backoffSeconds);
  }
  const row = await findWebhookEvent(db, message.webhookEventId);
  if (!row) return "ack";
  return (await applyOrFail(env, db, state, row)) === "done"
    ? "ack"
    : { retryAfter: backoffSeconds(attempts) };
}

export async function consumeWebhookEvents(
  batch: MessageBatch<unknown>,
  env: Env,
  backoffSeconds: (attempts: number) => number,
) {
  const db = createDb(env.DB);
  const state = newBatchState();
  for (const msg of batch.messages) {
    const parsed = WebhookMessage.safeParse(msg.body);
    if (!parsed.success) {
      log.warn("queue.bad_message", { queue: batch.queue, id: msg.id });
      await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
      msg.ack();
      continue;
    }
    let outcome: Outcome;
    try {
      outcome = await settle(env, db, state, parsed.data, msg.attempts, backoffSeconds);
    } catch (err) {
      log.warn("webhook.settle_failed", { id: msg.id, attempts: msg.attempts, err });
      outcome = { retryAfter: backoffSeconds(msg.attempts) };
    }
    if (outcome === "ack") msg.ack();
    else msg.retry({ delaySeconds: outcome.retryAfter });
  }
  // The changes are stored already: a failed announcement only delays what the cache TTL repairs.
  for (const [coachId, changes] of state.changes) {
    await announceChanges(env, coachId, changes).catch((err: unknown) => {
      log.warn("webhook.announce_failed", { coachId, err });
    });
  }
}
