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
 * Per batch: every delivery is stored in one D1 round trip, each subscription is resolved once, a
 * delivery with nothing to apply is stored as processed right away, and each coach's availability
 * cache and open dashboards hear of the batch's changes once, after its messages settled.
 */
import { bumpAvailabilityVersion } from "../availability/cache";
import { type AppliedChange, applyCalendlyEvent } from "../bookings/apply-calendly-event";
import { syncEventTypes } from "../calendly/sync-event-types";
import { dedupeKey, WebhookEnvelope } from "../calendly/webhook-envelope";
import { createDb, type Database } from "../db/client";
import {
  findWebhookEvent,
  markWebhookEvent,
  type NewWebhookEvent,
  type StoredWebhookEventRow,
  storeWebhookEvents,
} from "../db/webhook-events";
import { findSubscriptionOwner } from "../db/webhook-subscriptions";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { dispatchDomainEvents } from "../reactions/dispatch";
import { applyZoomEvent } from "../zoom/apply-zoom-event";
import { findZoomOwner } from "../zoom/connection-store";
import { ZoomEnvelope, zoomDedupeKey, zoomRoutingOf } from "../zoom/webhook-envelope";
import {
  type CalendlyDelivery,
  type StoredWebhookEvent,
  WebhookMessage,
  type ZoomDelivery,
} from "./webhook-message";

export { WebhookMessage } from "./webhook-message";

const decoder = new TextDecoder();

type Owner = Awaited<ReturnType<typeof findSubscriptionOwner>>;
/** What one batch shares: resolved subscriptions, rows settled, changes to announce per coach. */
type BatchState = {
  owners: Map<string, Promise<Owner>>;
  settled: Set<string>;
  changes: Map<string, AppliedChange[]>;
};
const newBatchState = (): BatchState => ({
  owners: new Map(),
  settled: new Set(),
  changes: new Map(),
});

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
 * Bookings and event types change Kairos's records; any other Calendly event is only kept. Every
 * Zoom event that found its coach goes to ../zoom/apply-zoom-event.ts, which decides.
 */
const needsApply = (provider: "calendly" | "zoom", event: string) =>
  provider === "zoom" ||
  (provider === "calendly" && (event.startsWith("invitee") || event.startsWith("event_type.")));

function rowFor(
  provider: "calendly" | "zoom",
  fields: { dedupeKey: string; event: string; coachId: string | null; payload: string },
  receivedAt: number,
): NewWebhookEvent {
  const done = !needsApply(provider, fields.event) || !fields.coachId;
  return {
    provider,
    ...fields,
    receivedAt: new Date(receivedAt),
    status: done ? "processed" : "received",
    processedAt: done ? new Date() : null,
  };
}

/**
 * The row a Calendly delivery is stored as, for the coach its subscription names now. A
 * subscription deleted since the route checked it, or an app-key delivery whose creator is not that
 * coach (the app-wide key is shared by every coach, so it alone does not prove whose event this
 * is), is dropped with a log (null).
 */
async function calendlyRow(
  db: Database,
  state: BatchState,
  m: CalendlyDelivery,
): Promise<NewWebhookEvent | null> {
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
  const fields = { dedupeKey: dedupeKey(envelope), event: envelope.event, coachId: owner.coachId };
  return rowFor("calendly", { ...fields, payload }, m.receivedAt);
}

/** A Zoom delivery's row, for the coach whose connection is the event's Zoom user (else none). */
async function zoomRow(db: Database, m: ZoomDelivery): Promise<NewWebhookEvent> {
  const payload = decoder.decode(m.body);
  const envelope = ZoomEnvelope.parse(JSON.parse(payload));
  const coachId = await findZoomOwner(db, zoomRoutingOf(envelope));
  const fields = { dedupeKey: zoomDedupeKey(envelope), event: envelope.event, coachId };
  return rowFor("zoom", { ...fields, payload }, m.receivedAt);
}

/** Applies a stored row that is still `received` and marks it processed; returns the changes. */
export async function applyStoredWebhookEvent(
  env: Env,
  db: Database,
  row: StoredWebhookEventRow,
): Promise<AppliedChange[]> {
  if (row.status !== "received") return [];
  if (!needsApply(row.provider, row.event) || !row.coachId) {
    await markWebhookEvent(db, row.id, "processed");
    return [];
  }
  if (row.provider === "zoom") {
    const scope = { db, coachId: row.coachId };
    const changes = await applyZoomEvent(env, scope, ZoomEnvelope.parse(JSON.parse(row.payload)));
    await markWebhookEvent(db, row.id, "processed");
    return changes;
  }
  const envelope = WebhookEnvelope.parse(JSON.parse(row.payload));
  const scope = { db, coachId: row.coachId };
  // An event type changed at Calendly: its payload shape is loosely documented, so re-read the list.
  if (envelope.event.startsWith("event_type.")) await syncEventTypes(env, scope);
  const changes = await applyCalendlyEvent(scope, envelope);
  await markWebhookEvent(db, row.id, "processed");
  return changes;
}

/** Reactors hear of the changes, the widget gets new availability, open dashboards a push. */
async function announceChanges(env: Env, coachId: string, changes: AppliedChange[]) {
  await dispatchDomainEvents(env, createDb(env.DB), { coachId });
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
type Backoff = (attempts: number) => number;

/** "done" when applied or failed for good (row marked `failed`); "retry" when worth another try. */
async function applyOrFail(env: Env, db: Database, state: BatchState, row: StoredWebhookEventRow) {
  // A second delivery of one change in the same batch: the first settled it already.
  if (state.settled.has(row.id)) return "done" as const;
  try {
    const changes = await applyStoredWebhookEvent(env, db, row);
    state.settled.add(row.id);
    if (changes.length > 0 && row.coachId) {
      state.changes.set(row.coachId, [...(state.changes.get(row.coachId) ?? []), ...changes]);
    }
    return "done" as const;
  } catch (err) {
    const permanent = isPermanent(err);
    log.warn("webhook.process_failed", { id: row.id, permanent, err });
    if (!permanent) return "retry" as const;
    await markWebhookEvent(db, row.id, "failed");
    state.settled.add(row.id);
    return "done" as const;
  }
}

/** A delivery once stored: apply it, or hand its retries over to a message naming the row. */
async function settleStoredDelivery(
  env: Env,
  db: Database,
  state: BatchState,
  row: StoredWebhookEventRow,
  attempts: number,
  backoffSeconds: Backoff,
): Promise<Outcome> {
  if ((await applyOrFail(env, db, state, row)) === "done") return "ack";
  try {
    await env.WEBHOOK_EVENTS.send(
      { provider: row.provider, webhookEventId: row.id } satisfies StoredWebhookEvent,
      { delaySeconds: backoffSeconds(attempts) },
    );
    return "ack";
  } catch (err) {
    log.warn("webhook.requeue_failed", { id: row.id, err });
    return { retryAfter: backoffSeconds(attempts) }; // the redelivery finds the stored row
  }
}

/**
 * Turns the batch's deliveries into rows and stores them in one round trip. Returns, per message
 * id, the stored row, or the outcome when there is nothing to store (dropped, unreadable, D1 down).
 */
async function storeDeliveries(
  db: Database,
  state: BatchState,
  deliveries: { msg: Message; m: CalendlyDelivery | ZoomDelivery }[],
  backoffSeconds: Backoff,
) {
  const out = new Map<string, StoredWebhookEventRow | Outcome>();
  const pending: { id: string; row: NewWebhookEvent; attempts: number }[] = [];
  for (const { msg, m } of deliveries) {
    try {
      const row =
        m.provider === "calendly" ? await calendlyRow(db, state, m) : await zoomRow(db, m);
      if (row) pending.push({ id: msg.id, row, attempts: msg.attempts });
      else out.set(msg.id, "ack");
    } catch (err) {
      // The route checked the envelope, so a permanent failure here is a bug: keep no half state.
      if (isPermanent(err)) log.error("webhook.unstorable", { provider: m.provider, err });
      else log.warn("webhook.store_failed", { provider: m.provider, attempts: msg.attempts, err });
      out.set(msg.id, isPermanent(err) ? "ack" : { retryAfter: backoffSeconds(msg.attempts) });
    }
  }
  try {
    const stored = await storeWebhookEvents(
      db,
      pending.map((p) => p.row),
    );
    pending.forEach((p, i) => {
      const row = stored[i];
      out.set(p.id, row ?? { retryAfter: backoffSeconds(p.attempts) });
    });
  } catch (err) {
    log.warn("webhook.store_failed", { count: pending.length, err });
    for (const p of pending) out.set(p.id, { retryAfter: backoffSeconds(p.attempts) });
  }
  return out;
}

async function settle(
  env: Env,
  db: Database,
  state: BatchState,
  message: WebhookMessage,
  stored: StoredWebhookEventRow | Outcome | undefined,
  attempts: number,
  backoffSeconds: Backoff,
): Promise<Outcome> {
  if (!("webhookEventId" in message)) {
    if (!stored || stored === "ack" || "retryAfter" in stored) return stored ?? "ack";
    return settleStoredDelivery(env, db, state, stored, attempts, backoffSeconds);
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
  backoffSeconds: Backoff,
) {
  const db = createDb(env.DB);
  const state = newBatchState();
  const messages: { msg: Message; m: WebhookMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = WebhookMessage.safeParse(msg.body);
    if (parsed.success) {
      messages.push({ msg, m: parsed.data });
      continue;
    }
    log.warn("queue.bad_message", { queue: batch.queue, id: msg.id });
    await env.DEAD_LETTERS.send({ queue: batch.queue, id: msg.id, body: msg.body });
    msg.ack();
  }
  const deliveries = messages.flatMap(({ msg, m }) => ("webhookEventId" in m ? [] : [{ msg, m }]));
  const stored = await storeDeliveries(db, state, deliveries, backoffSeconds);

  for (const { msg, m } of messages) {
    let outcome: Outcome;
    try {
      outcome = await settle(env, db, state, m, stored.get(msg.id), msg.attempts, backoffSeconds);
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
