import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../worker/index";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { APP_SIGNING_KEY, deliver, seedSubscription, signatureHeader } from "../helpers/webhooks";
import { server } from "../setup";

const API = "https://api.calendly.test";

const created = {
  event: "invitee.created",
  created_at: "2026-12-01T10:00:00.000000Z",
  created_by: `${API}/users/u`,
  payload: {
    uri: `${API}/scheduled_events/q-ev/invitees/q-inv`,
    email: "sam@client.test",
    name: "Sam Client",
    status: "active",
    updated_at: "2026-12-01T10:00:00.000000Z",
    scheduled_event: {
      uri: `${API}/scheduled_events/q-ev`,
      name: "Intro Call",
      status: "active",
      start_time: "2026-12-10T15:00:00.000000Z",
      end_time: "2026-12-10T15:30:00.000000Z",
      location: { type: "zoom_conference", join_url: "https://zoom.test/j/1" },
      some_future_field: true,
    },
  },
};

describe("webhook-events consumer", () => {
  it("applies a stored delivery, marks it processed and acks", async () => {
    const { coachId, subscriptionId } = await seedSubscription("queue");
    const raw = JSON.stringify(created);
    await deliver(subscriptionId, raw, {
      "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw),
    });
    const stored = await env.DB.prepare("select id from webhook_events where coach_id = ?")
      .bind(coachId)
      .first<{ id: string }>();
    if (!stored) throw new Error("not stored");

    const batch = createMessageBatch("webhook-events", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts: 1,
        body: { provider: "calendly", webhookEventId: stored.id },
      },
      { id: "m2", timestamp: new Date(), attempts: 1, body: { nonsense: true } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);

    const row = await env.DB.prepare("select status from webhook_events where id = ?")
      .bind(stored.id)
      .first<{ status: string }>();
    expect(row?.status).toBe("processed");
    const session = await env.DB.prepare("select name, status from sessions where coach_id = ?")
      .bind(coachId)
      .first();
    expect(session).toEqual({ name: "Intro Call", status: "active" });
    const events = await env.DB.prepare(
      "select count(*) as n from domain_events where coach_id = ?",
    )
      .bind(coachId)
      .first<{ n: number }>();
    expect(events?.n).toBe(1);
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
    const batch = createMessageBatch("webhook-events", [
      {
        id: "m-et",
        timestamp: new Date(),
        attempts: 1,
        body: { provider: "calendly", webhookEventId: "whe_et" },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m-et"]);
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
