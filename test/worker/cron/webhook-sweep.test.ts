import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dedupeKey } from "../../../worker/calendly/webhook-envelope";
import { sweepStrandedWebhookEvents } from "../../../worker/cron/webhook-sweep";
import worker from "../../../worker/index";
import { bookingEnvelope, recordingQueue, seedSubscription } from "../helpers/webhooks";

const MIN = 60_000;

/** A row as a consumer that died between storing and applying leaves it. */
async function storedRow(
  id: string,
  coachId: string | null,
  envelope: ReturnType<typeof bookingEnvelope>,
  opts: { status?: string; receivedAt: number; sweptAt?: number },
) {
  await env.DB.prepare(
    "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at, swept_at) values (?, 'calendly', ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      id,
      dedupeKey(envelope),
      envelope.event,
      coachId,
      JSON.stringify(envelope),
      opts.status ?? "received",
      opts.receivedAt,
      opts.sweptAt ?? null,
    )
    .run();
}

const statusOf = async (id: string) =>
  (
    await env.DB.prepare("select status from webhook_events where id = ?")
      .bind(id)
      .first<{ status: string }>()
  )?.status;

describe("the stranded-delivery sweep", () => {
  it("re-sends rows still `received` after 10 minutes, once per interval, and they get applied", async () => {
    const { coachId } = await seedSubscription("sweep");
    const now = Date.now();
    await storedRow("whe_crashed", coachId, bookingEnvelope("sweep", 1), {
      receivedAt: now - 11 * MIN,
    });
    await storedRow("whe_fresh", coachId, bookingEnvelope("sweep", 2), {
      receivedAt: now - 5 * MIN,
    });
    await storedRow("whe_done", coachId, bookingEnvelope("sweep", 3), {
      status: "processed",
      receivedAt: now - 20 * MIN,
    });
    await storedRow("whe_swept", coachId, bookingEnvelope("sweep", 4), {
      receivedAt: now - 30 * MIN,
      sweptAt: now - 2 * MIN,
    });

    const { queue, sent } = recordingQueue();
    const bindings = { ...env, WEBHOOK_EVENTS: queue };
    expect(await sweepStrandedWebhookEvents(bindings, new Date(now))).toBe(1);
    expect(sent).toEqual([{ provider: "calendly", webhookEventId: "whe_crashed" }]);
    // Claimed: the next tick does not send it again while its message is on its way.
    expect(await sweepStrandedWebhookEvents(bindings, new Date(now + 5 * MIN))).toBe(0);
    // Ten minutes after the claim, a row still not applied is re-sent (so is the one swept earlier).
    expect(await sweepStrandedWebhookEvents(bindings, new Date(now + 11 * MIN))).toBe(3);

    const batch = createMessageBatch("webhook-events", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: sent[0] },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m1"]);
    expect(await statusOf("whe_crashed")).toBe("processed");
    const session = await env.DB.prepare("select status from sessions where coach_id = ?")
      .bind(coachId)
      .first();
    expect(session).toEqual({ status: "active" });
  });

  it("claims in statements of at most 100 rows and sends one batch per claim", async () => {
    const { coachId } = await seedSubscription("bulk");
    const now = Date.now();
    const rows = Array.from({ length: 150 }, (_, i) =>
      env.DB.prepare(
        "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at) values (?, 'calendly', ?, 'invitee.created', ?, '{}', 'received', ?)",
      ).bind(`whe_bulk_${i}`, `k-bulk-${i}`, coachId, now - 60 * MIN + i),
    );
    await env.DB.batch(rows);
    const batches: number[] = [];
    const queue = {
      async sendBatch(messages: Iterable<unknown>) {
        batches.push([...messages].length);
      },
    } as unknown as Queue;
    expect(await sweepStrandedWebhookEvents({ ...env, WEBHOOK_EVENTS: queue }, new Date(now))).toBe(
      150,
    );
    expect(batches).toEqual([100, 50]);
    const left = await env.DB.prepare(
      "select count(*) as n from webhook_events where id like 'whe_bulk_%' and swept_at is null",
    ).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("runs in the 5-minute cron tick", async () => {
    const { coachId } = await seedSubscription("tick");
    await storedRow("whe_tick", coachId, bookingEnvelope("tick", 1), {
      receivedAt: Date.now() - 15 * MIN,
    });
    const { queue, sent } = recordingQueue();
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }),
      { ...env, WEBHOOK_EVENTS: queue },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(sent).toContainEqual({ provider: "calendly", webhookEventId: "whe_tick" });
  });
});
