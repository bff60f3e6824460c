import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  APP_SIGNING_KEY,
  deliver,
  inviteeEnvelope,
  seedSubscription,
  signatureHeader,
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

  it("stores a validly signed delivery once and answers 200", async () => {
    const before = await stored(sub.coachId);
    const raw = body(1);
    const res = await deliver(sub.subscriptionId, raw, {
      "calendly-webhook-signature": await signatureHeader("per-subscription-key", raw),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    expect(await stored(sub.coachId)).toBe((before ?? 0) + 1);
  });

  it("accepts the app-wide signing key too", async () => {
    const raw = body(2);
    const res = await deliver(sub.subscriptionId, raw, {
      "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw),
    });
    expect(res.status).toBe(200);
  });

  it("answers a duplicate delivery with 200 and stores nothing more", async () => {
    const raw = body(3);
    const header = await signatureHeader(APP_SIGNING_KEY, raw);
    await deliver(sub.subscriptionId, raw, { "calendly-webhook-signature": header });
    const before = await stored(sub.coachId);
    const res = await deliver(sub.subscriptionId, raw, { "calendly-webhook-signature": header });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: true });
    expect(await stored(sub.coachId)).toBe(before);
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

  it.each(rejected)("rejects %s and stores nothing", async (_name, make, status) => {
    const before = await stored(sub.coachId);
    const [raw, headers] = await make();
    const res = await deliver(sub.subscriptionId, raw, headers);
    expect(res.status).toBe(status);
    expect(await stored(sub.coachId)).toBe(before);
  });

  it("answers 404 for an unknown subscription", async () => {
    const raw = body(20);
    const res = await deliver("whs_nope", raw, {
      "calendly-webhook-signature": await signatureHeader(APP_SIGNING_KEY, raw),
    });
    expect(res.status).toBe(404);
  });
});
