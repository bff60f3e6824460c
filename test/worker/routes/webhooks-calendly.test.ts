import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  APP_SIGNING_KEY,
  bookingEnvelope,
  countingDb,
  deliver,
  deliverWith,
  inviteeEnvelope,
  recordingQueue,
  seedSubscription,
  settledRows,
  signatureHeader,
  signedDelivery,
} from "../helpers/webhooks";

const stored = async (coachId: string) =>
  (
    await env.DB.prepare("select count(*) as n from webhook_events where coach_id = ?")
      .bind(coachId)
      .first<{ n: number }>()
  )?.n;

describe("POST /webhooks/calendly/:subscriptionId", () => {
  let sub: { coachId: string; subscriptionId: string };
  beforeAll(async () => {
    sub = await seedSubscription("sig", "per-subscription-key");
  });

  const body = (n: number) =>
    JSON.stringify(inviteeEnvelope({ uri: `https://api.calendly.test/inv/${n}` }));

  it("answers 200 once the verified delivery is on the queue; the consumer stores it once", async () => {
    const raw = body(1);
    const res = await deliver(sub.subscriptionId, raw, {
      "calendly-webhook-signature": await signatureHeader("per-subscription-key", raw),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const rows = await settledRows("dedupe_key like ?", ["%/inv/1|%"]);
    expect(rows.map((r) => r.coach_id)).toEqual([sub.coachId]);
  });

  it("accepts the app-wide signing key too", async () => {
    const raw = body(2);
    const res = await deliver(sub.subscriptionId, raw, {
      "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw),
    });
    expect(res.status).toBe(200);
  });

  it("sends the verified delivery itself (raw bytes, coach, key used) and stores nothing", async () => {
    const { queue, sent } = recordingQueue();
    const raw = body(5);
    const before = await stored(sub.coachId);
    const res = await deliverWith({ ...env, WEBHOOK_EVENTS: queue }, sub.subscriptionId, raw, {
      "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw),
    });
    expect(res.status).toBe(200);
    expect(sent).toEqual([
      {
        provider: "calendly",
        subscriptionId: sub.subscriptionId,
        coachId: sub.coachId,
        verifiedWith: "app_key",
        body: new TextEncoder().encode(raw),
        receivedAt: expect.any(Number),
      },
    ]);
    expect(await stored(sub.coachId)).toBe(before);
  });

  it("answers 503 with Retry-After when the queue refuses, stores nothing, and a retry is processed", async () => {
    const { coachId, subscriptionId } = await seedSubscription("outage");
    const { raw, headers } = await signedDelivery(APP_SIGNING_KEY, bookingEnvelope("outage", 1));
    const { queue } = recordingQueue({ fail: true });
    const refused = await deliverWith(
      { ...env, WEBHOOK_EVENTS: queue },
      subscriptionId,
      raw,
      headers,
    );
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await stored(coachId)).toBe(0);

    // Calendly retries later (fresh signature), and the queue is back.
    const retry = await signedDelivery(APP_SIGNING_KEY, bookingEnvelope("outage", 1));
    expect((await deliver(subscriptionId, retry.raw, retry.headers)).status).toBe(200);
    const rows = await settledRows("coach_id = ?", [coachId]);
    expect(rows.map((r) => r.status)).toEqual(["processed"]);
    const session = await env.DB.prepare("select status from sessions where coach_id = ?")
      .bind(coachId)
      .first();
    expect(session).toEqual({ status: "active" });
  });

  it("processes a delivery sent twice once", async () => {
    const { coachId, subscriptionId } = await seedSubscription("twice");
    const { raw, headers } = await signedDelivery(APP_SIGNING_KEY, bookingEnvelope("twice", 1));
    const [a, b] = await Promise.all([
      deliver(subscriptionId, raw, headers),
      deliver(subscriptionId, raw, headers),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = await settledRows("coach_id = ?", [coachId]);
    expect(rows.map((r) => r.status)).toEqual(["processed"]);
    const events = await env.DB.prepare("select type from domain_events where coach_id = ?")
      .bind(coachId)
      .all();
    expect(events.results).toEqual([{ type: "booking.created" }]);
  });

  it("reads nothing from D1 on the warm path (subscription keys are cached per isolate)", async () => {
    const { queue } = recordingQueue();
    const first = body(6);
    await deliver(sub.subscriptionId, first, {
      "calendly-webhook-signature": await signatureHeader("per-subscription-key", first),
    });
    const { db, counter } = countingDb();
    const raw = body(7);
    const res = await deliverWith(
      { ...env, DB: db, WEBHOOK_EVENTS: queue },
      sub.subscriptionId,
      raw,
      { "calendly-webhook-signature": await signatureHeader("per-subscription-key", raw) },
    );
    expect(res.status).toBe(200);
    expect(counter.statements).toBe(0);
  });

  it("accepts a header with several v1 values when one of them matches", async () => {
    const raw = body(4);
    const valid = await signatureHeader(APP_SIGNING_KEY, raw);
    const [t, v1] = valid.split(",");
    const res = await deliver(sub.subscriptionId, raw, {
      "calendly-webhook-signature": `${t},v1=${"0".repeat(64)},${v1}`,
    });
    expect(res.status).toBe(200);
  });

  const rejected: [string, () => Promise<[string, Record<string, string>]>, number][] = [
    [
      "a wrong key",
      async () => {
        const raw = body(10);
        return [raw, { "calendly-webhook-signature": await signatureHeader("wrong-key", raw) }];
      },
      401,
    ],
    [
      "a tampered body",
      async () => {
        const raw = body(11);
        const header = await signatureHeader(APP_SIGNING_KEY, raw);
        return [raw.replace("Sam", "Eve"), { "calendly-webhook-signature": header }];
      },
      401,
    ],
    [
      "a stale timestamp",
      async () => {
        const raw = body(12);
        const t = Math.floor(Date.now() / 1000) - 181;
        return [
          raw,
          { "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw, t) },
        ];
      },
      401,
    ],
    [
      "a timestamp from the future",
      async () => {
        const raw = body(13);
        const t = Math.floor(Date.now() / 1000) + 600;
        return [
          raw,
          { "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw, t) },
        ];
      },
      401,
    ],
    ["a missing header", async () => [body(14), {}], 401],
    [
      "several v1 values, none matching",
      async () => {
        const t = Math.floor(Date.now() / 1000);
        return [
          body(15),
          { "calendly-webhook-signature": `t=${t},v1=${"a".repeat(64)},v1=${"b".repeat(64)}` },
        ];
      },
      401,
    ],
    [
      "a body past the queue's 128 KB message limit",
      async () => {
        const raw = JSON.stringify({ ...inviteeEnvelope(), pad: "x".repeat(128 * 1024) });
        return [raw, { "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw) }];
      },
      413,
    ],
    [
      "a 2 MB body",
      async () => {
        const raw = JSON.stringify({ ...inviteeEnvelope(), pad: "x".repeat(2_000_000) });
        return [raw, { "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw) }];
      },
      413,
    ],
    [
      "a signed body that is not JSON",
      async () => {
        const raw = "not json";
        return [raw, { "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw) }];
      },
      400,
    ],
  ];

  it.each(rejected)("rejects %s and enqueues nothing", async (_name, make, status) => {
    const { queue, sent } = recordingQueue();
    const [raw, headers] = await make();
    const res = await deliverWith(
      { ...env, WEBHOOK_EVENTS: queue },
      sub.subscriptionId,
      raw,
      headers,
    );
    expect(res.status).toBe(status);
    expect(sent).toEqual([]);
  });

  it("tells only a genuine delivery that a subscription is gone (410); forgeries get 401 for any id", async () => {
    const raw = body(20);
    const res = await deliver("whs_nope", raw, {
      "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw),
    });
    expect(res.status).toBe(410);
    // An unsigned or wrongly signed post cannot tell a known id from an unknown one.
    for (const id of ["whs_nope", sub.subscriptionId]) {
      const unsigned = await deliver(id, raw, {});
      expect(unsigned.status).toBe(401);
      const forged = await deliver(id, raw, {
        "calendly-webhook-signature": await signatureHeader("not-the-key", raw),
      });
      expect(forged.status).toBe(401);
      const answer = async (r: Response) => ((await r.json()) as { error: unknown }).error;
      expect(await answer(forged)).toEqual(await answer(await deliver("whs_other", raw, {})));
    }
  });

  it('accepts both app keys while the app\'s signing key is being rotated ("new,old")', async () => {
    const rotating = { ...env, CALENDLY_WEBHOOK_SIGNING_KEY: `brand-new-key,${APP_SIGNING_KEY}` };
    const raw = body(21);
    for (const key of ["brand-new-key", APP_SIGNING_KEY]) {
      const { queue, sent } = recordingQueue();
      const res = await deliverWith(
        { ...rotating, WEBHOOK_EVENTS: queue },
        sub.subscriptionId,
        raw,
        {
          "calendly-webhook-signature": await signatureHeader(key, raw),
        },
      );
      expect(res.status).toBe(200);
      expect(sent).toHaveLength(1);
    }
  });
});
