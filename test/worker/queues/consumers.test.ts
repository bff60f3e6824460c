import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../../worker/index";

describe("queue consumers", () => {
  it("records dead letters in the audit log and acks them", async () => {
    const batch = createMessageBatch("dead-letters", [
      { id: "msg-1", timestamp: new Date(), attempts: 6, body: { type: "unknown", coachId: "x" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["msg-1"]);
    const row = await env.DB.prepare(
      "select action, subject from audit_log where action = 'queue.dead_letter'",
    ).first<{ action: string; subject: string }>();
    expect(row).toEqual({ action: "queue.dead_letter", subject: "msg-1" });
  });

  it("acks messages no consumer understands after forwarding them to dead-letters", async () => {
    const batch = createMessageBatch("jobs", [
      { id: "msg-2", timestamp: new Date(), attempts: 1, body: { type: "nope" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["msg-2"]);
    expect(result.retryMessages).toEqual([]);

    // What arrived on the dead-letters side (its real consumer records each message it gets).
    await vi.waitFor(
      async () => {
        const rows = await env.DB.prepare(
          "select detail from audit_log where action = 'queue.dead_letter'",
        ).all<{ detail: string }>();
        const forwarded = rows.results.map((r) => JSON.parse(r.detail).body);
        expect(forwarded).toContainEqual({ queue: "jobs", id: "msg-2", body: { type: "nope" } });
      },
      { timeout: 10_000, interval: 200 },
    );
  });

  it("does not ack a message it could not forward (the queue keeps it for a retry)", async () => {
    const batch = createMessageBatch("jobs", [
      { id: "msg-3", timestamp: new Date(), attempts: 1, body: { type: "nope" } },
    ]);
    const ctx = createExecutionContext();
    const refusing = {
      ...env,
      DEAD_LETTERS: {
        send: async () => {
          throw new Error("queue unavailable");
        },
        sendBatch: async () => {
          throw new Error("queue unavailable");
        },
      } as unknown as Queue,
    };
    await worker.queue(batch, refusing, ctx).catch(() => undefined);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
  });
});
