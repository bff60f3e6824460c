/**
 * A webhook delivery that dead-lettered before it was stored keeps no personal data in the audit log
 * and is not lost: it goes back to the webhook inbox, delayed.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../../worker/index";

describe("dead letters of the webhook inbox", () => {
  it("records only the outline of a raw delivery and re-sends it an hour later", async () => {
    const payload = JSON.stringify({
      event: "invitee.created",
      created_at: "2026-12-03T10:00:00.000000Z",
      payload: { uri: "https://api.calendly.com/invitees/x", email: "private.client@example.com" },
    });
    const delivery = {
      provider: "calendly",
      subscriptionId: "sub_dead",
      coachId: "coa_dead",
      verifiedWith: "app_key",
      body: new TextEncoder().encode(payload),
      receivedAt: Date.parse("2026-12-03T10:00:01Z"),
    };
    const send = vi.fn(
      async (_body: unknown, _options?: QueueSendOptions) => ({}) as QueueSendResponse,
    );
    const batch = createMessageBatch("dead-letters", [
      { id: "dl-delivery", timestamp: new Date(), attempts: 6, body: delivery },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, WEBHOOK_EVENTS: { ...env.WEBHOOK_EVENTS, send } }, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dl-delivery"]);

    const row = await env.DB.prepare(
      "select detail from audit_log where action = 'queue.dead_letter' and subject = 'dl-delivery'",
    ).first<{ detail: string }>();
    expect(row?.detail).not.toContain("private.client");
    expect(JSON.parse(row?.detail ?? "{}")).toMatchObject({
      delivery: { provider: "calendly", subscriptionId: "sub_dead", bytes: payload.length },
    });
    expect(send).toHaveBeenCalledWith(delivery, { contentType: "v8", delaySeconds: 3600 });
  });
});
