import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dedupeKey } from "../../../worker/calendly/webhook-envelope";
import worker from "../../../worker/index";
import type { WebhookMessage } from "../../../worker/queues/webhook-message";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { bookingEnvelope, countingDb, recordingQueue, seedSubscription } from "../helpers/webhooks";
import { server } from "../setup";

const delivery = (
  sub: { coachId: string; subscriptionId: string },
  envelope: unknown,
  verifiedWith: "app_key" | "subscription_key" = "app_key",
): WebhookMessage => ({
  provider: "calendly",
  subscriptionId: sub.subscriptionId,
  coachId: sub.coachId,
  verifiedWith,
  body: new TextEncoder().encode(JSON.stringify(envelope)),
  receivedAt: Date.now(),
});

async function consume(bodies: unknown[], bindings: Env = env) {
  const batch = createMessageBatch(
    "webhook-events",
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings, ctx);
  return getQueueResult(batch, ctx);
}

const rowsOf = async (coachId: string) =>
  (
    await env.DB.prepare("select id, status from webhook_events where coach_id = ?")
      .bind(coachId)
      .all<{ id: string; status: string }>()
  ).results;

const countOf = async (table: string, coachId: string) =>
  (
    await env.DB.prepare(`select count(*) as n from ${table} where coach_id = ?`)
      .bind(coachId)
      .first<{ n: number }>()
  )?.n;

describe("webhook-events consumer", () => {
  it("stores a delivery once, applies it, and acks a duplicate in the same batch", async () => {
    const sub = await seedSubscription("queue");
    const envelope = bookingEnvelope("queue", 1);
    const result = await consume([
      delivery(sub, envelope),
      delivery(sub, envelope),
      { nonsense: true },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    expect((await rowsOf(sub.coachId)).map((r) => r.status)).toEqual(["processed"]);
    const session = await env.DB.prepare("select name, status from sessions where coach_id = ?")
      .bind(sub.coachId)
      .first();
    expect(session).toEqual({ name: "Intro Call", status: "active" });
    expect(await countOf("domain_events", sub.coachId)).toBe(1);
  });

  it("applies a duplicate whose stored row was never processed (a crash after the insert)", async () => {
    const sub = await seedSubscription("half");
    const envelope = bookingEnvelope("half", 1);
    await env.DB.prepare(
      "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at) values ('whe_half', 'calendly', ?, 'invitee.created', ?, ?, 'received', ?)",
    )
      .bind(dedupeKey(envelope), sub.coachId, JSON.stringify(envelope), Date.now())
      .run();
    expect((await consume([delivery(sub, envelope)])).explicitAcks).toEqual(["m0"]);
    expect(await rowsOf(sub.coachId)).toEqual([{ id: "whe_half", status: "processed" }]);
    expect(await countOf("sessions", sub.coachId)).toBe(1);
  });

  it("acks a redelivery of a processed event without applying it again", async () => {
    const sub = await seedSubscription("again");
    const envelope = bookingEnvelope("again", 1);
    await consume([delivery(sub, envelope)]);
    const { db, counter } = countingDb();
    await consume([delivery(sub, envelope)], { ...env, DB: db });
    // Resolve the subscription, try the insert, read the existing row: nothing applied.
    expect(counter.statements).toBe(3);
    expect(await countOf("domain_events", sub.coachId)).toBe(1);
  });

  it("stores a batch's deliveries together; one with nothing to apply is processed at once", async () => {
    const sub = await seedSubscription("forms");
    const form = (n: number) => ({
      event: "routing_form_submission.created",
      created_at: "2026-12-01T10:00:00.000000Z",
      created_by: "https://api.calendly.test/users/forms",
      payload: { uri: `https://api.calendly.test/routing_form_submissions/f${n}` },
    });
    const result = await consume([
      delivery(sub, form(1)),
      delivery(sub, bookingEnvelope("forms", 1)),
      delivery(sub, form(2)),
    ]);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    expect((await rowsOf(sub.coachId)).map((r) => r.status)).toEqual([
      "processed",
      "processed",
      "processed",
    ]);
    expect(await countOf("sessions", sub.coachId)).toBe(1);
  });

  it("drops a delivery for a subscription that no longer exists", async () => {
    const sub = await seedSubscription("gone");
    await env.DB.prepare("delete from webhook_subscriptions where id = ?")
      .bind(sub.subscriptionId)
      .run();
    expect((await consume([delivery(sub, bookingEnvelope("gone", 1))])).explicitAcks).toEqual([
      "m0",
    ]);
    expect(await rowsOf(sub.coachId)).toEqual([]);
  });

  it("drops an app-key delivery created by another coach's user, keeps a subscription-key one", async () => {
    const sub = await seedSubscription("owner");
    const foreign = {
      ...bookingEnvelope("owner", 1),
      created_by: "https://api.calendly.test/users/x",
    };
    await consume([delivery(sub, foreign, "app_key")]);
    expect(await rowsOf(sub.coachId)).toEqual([]);
    // The per-subscription key is known to this subscription only: it binds the delivery itself.
    await consume([delivery(sub, foreign, "subscription_key")]);
    expect((await rowsOf(sub.coachId)).map((r) => r.status)).toEqual(["processed"]);
  });

  it("stores first, then retries a failed apply by row id (no payload in the retry)", async () => {
    const sub = await seedSubscription("flaky");
    const { queue, sent } = recordingQueue();
    const { db } = countingDb();
    const failingSessions = new Proxy(db, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== "prepare") return value;
        return (sql: string) => {
          if (/insert into "sessions"/i.test(sql)) throw new Error("D1_ERROR: overloaded");
          return value(sql);
        };
      },
    });
    const result = await consume([delivery(sub, bookingEnvelope("flaky", 1))], {
      ...env,
      DB: failingSessions,
      WEBHOOK_EVENTS: queue,
    });
    expect(result.explicitAcks).toEqual(["m0"]);
    const [row] = await rowsOf(sub.coachId);
    expect(row?.status).toBe("received");
    expect(sent).toEqual([{ provider: "calendly", webhookEventId: row?.id }]);

    expect((await consume(sent)).explicitAcks).toEqual(["m0"]);
    expect((await rowsOf(sub.coachId)).map((r) => r.status)).toEqual(["processed"]);
  });

  it("stores a Zoom delivery once and marks it processed (nothing reads it yet)", async () => {
    const envelope = {
      event: "meeting.ended",
      event_ts: 1_790_000_000_123,
      payload: { account_id: "za", object: { uuid: "zoom-q-1", id: "1" } },
    };
    const zoom = {
      provider: "zoom",
      body: new TextEncoder().encode(JSON.stringify(envelope)),
      receivedAt: Date.now(),
    } satisfies WebhookMessage;
    expect((await consume([zoom, zoom])).explicitAcks.sort()).toEqual(["m0", "m1"]);
    const rows = await env.DB.prepare(
      "select status, event from webhook_events where dedupe_key like 'zoom|meeting.ended|zoom-q-1|%'",
    ).all();
    expect(rows.results).toEqual([{ status: "processed", event: "meeting.ended" }]);
  });

  it("re-reads the coach's event types when Calendly reports an event type change", async () => {
    server.use(...fakeCalendly([dana]));
    await signInWithCode(`code-${dana.token}`);
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind(dana.email)
      .first<{ id: string }>();
    const payload = JSON.stringify({
      event: "event_type.updated",
      created_at: "2026-12-01T10:00:00Z",
      payload: {
        uri: "https://api.calendly.test/event_types/x",
        updated_at: "2026-12-01T10:00:00Z",
      },
    });
    await env.DB.prepare(
      "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at) values ('whe_et', 'calendly', 'k-et', 'event_type.updated', ?, ?, 'received', 1)",
    )
      .bind(coach?.id, payload)
      .run();
    const result = await consume([{ provider: "calendly", webhookEventId: "whe_et" }]);
    expect(result.explicitAcks).toEqual(["m0"]);
    const names = await env.DB.prepare(
      "select name from event_types where coach_id = ? order by position",
    )
      .bind(coach?.id)
      .all<{ name: string }>();
    expect(names.results.map((r) => r.name)).toEqual([
      "Intro Call",
      "Coaching Session",
      "Group Workshop",
    ]);
  });
});
