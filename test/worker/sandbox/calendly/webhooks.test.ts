import { env, exports } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { verifyCalendlySignature } from "../../../../worker/calendly/webhook-signature";
import { retryDueDeliveries } from "../../../../worker/sandbox/calendly/webhooks";
import { CALENDLY, call, tokensFor } from "../../helpers/sandbox-calendly";
import { APP_SIGNING_KEY } from "../../helpers/webhooks";
import { server } from "../../setup";

type Received = { header: string; body: string; envelope: Envelope };
type Envelope = {
  event: string;
  created_at: string;
  created_by: string;
  payload: Record<string, unknown> & { uri: string; updated_at: string };
};

const control = (path: string, body?: unknown, method = "POST") =>
  exports.default.fetch(`${CALENDLY}/control/${path}`, {
    method: body === undefined && method === "POST" ? "GET" : method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

let hooks = 0;

/** One token for the file: the token endpoint allows 8 requests per user per minute. */
let danaTokens: ReturnType<typeof tokensFor> | undefined;
const dana = () => {
  danaTokens ??= tokensFor("dana@coach.test");
  return danaTokens;
};

/** A webhook receiver answering `answer()` (200 by default), and what it got. */
function receiver(answer: () => number = () => 200) {
  const url = `http://hooks.test/calendly/${++hooks}`;
  const received: Received[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      const body = await request.text();
      received.push({
        header: request.headers.get("calendly-webhook-signature") ?? "",
        body,
        envelope: JSON.parse(body),
      });
      const status = answer();
      return status === 200 ? HttpResponse.json({ ok: true }) : new HttpResponse("no", { status });
    }),
  );
  return { url, received };
}

async function subscribe(
  token: string,
  t: { owner: string; organization: string },
  url: string,
  events = ["invitee.created", "invitee.canceled"],
  signingKey = "my-own-key",
) {
  const res = await call(token, "/webhook_subscriptions", {
    method: "POST",
    body: JSON.stringify({
      url,
      events,
      organization: t.organization,
      user: t.owner,
      scope: "user",
      signing_key: signingKey,
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { resource: { uri: string } }).resource.uri;
}

async function until<T>(read: () => T, ok: (v: T) => boolean, what: string) {
  for (let i = 0; i < 100; i++) {
    const v = read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const settle = () => new Promise((r) => setTimeout(r, 300));

async function freeSlots(n: number) {
  const res = await control("slots?coachEmail=dana@coach.test&eventTypeSlug=intro-call");
  const { slots } = (await res.json()) as { slots: string[] };
  // Far apart, and far from other tests' bookings in this file.
  return slots.slice(10 + hooks * 3, 10 + hooks * 3 + n);
}

async function book(startTime: string) {
  const res = await control("book", {
    coachEmail: "dana@coach.test",
    eventTypeSlug: "intro-call",
    startTime,
    invitee: { name: "Sam Client", email: `sam${hooks}@client.test` },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { event: string; invitee: string };
}

const deliveriesOf = async (subscriptionUri: string) =>
  (
    await env.DB.prepare(
      "select status, attempts, last_status, next_attempt_at, created_at from sandbox_calendly_deliveries where subscription_id = ? order by created_at",
    )
      .bind(subscriptionUri.slice(subscriptionUri.lastIndexOf("/") + 1))
      .all<{
        status: string;
        attempts: number;
        last_status: number | null;
        next_attempt_at: number | null;
        created_at: number;
      }>()
  ).results;

const subscriptionOf = async (token: string, uri: string) =>
  call(token, `/webhook_subscriptions/${uri.slice(uri.lastIndexOf("/") + 1)}`);

const verifies = async (r: Received, key: string) =>
  (await verifyCalendlySignature({ header: r.header, rawBody: r.body, keys: [key] })).ok;

afterEach(async () => {
  await control("settings", { webhookMode: "normal" });
  // Nothing of one test is left for the next one's cron runs.
  await env.DB.prepare("delete from sandbox_calendly_deliveries").run();
  await env.DB.prepare("delete from sandbox_calendly_subscriptions").run();
});

describe("fake Calendly webhook signing", () => {
  it("keeps the signing key write-only, refuses a second hook on the same URL, and signs manual deliveries", async () => {
    const t = await dana();
    const hook = receiver();
    const create = () =>
      call(t.access_token, "/webhook_subscriptions", {
        method: "POST",
        body: JSON.stringify({
          url: hook.url,
          events: ["invitee.created"],
          organization: t.organization,
          user: t.owner,
          scope: "user",
          signing_key: "my-key",
        }),
      });
    const created = await create();
    expect(created.status).toBe(201);
    expect(JSON.stringify(await created.json())).not.toContain("my-key");
    expect((await create()).status).toBe(409);

    const res = await exports.default.fetch(`${CALENDLY}/webhooks/deliver`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        event: "invitee.created",
        created_at: new Date().toISOString(),
        created_by: t.owner,
        payload: { uri: "x" },
      }),
    });
    expect(await res.json()).toEqual({ status: 200, body: '{"ok":true}' });
    const [got] = hook.received;
    if (!got) throw new Error("no delivery");
    expect(await verifies(got, APP_SIGNING_KEY)).toBe(true);
    expect(await verifies(got, "other")).toBe(false);
  });

  it("signs an OAuth app's subscription with the app-wide key, not the key sent on create", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url, ["invitee.created"], "my-own-key");
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    const [got] = await until(
      () => hook.received,
      (r) => r.length === 1,
      "delivery",
    );
    if (!got) throw new Error("no delivery");
    expect(await verifies(got, APP_SIGNING_KEY)).toBe(true);
    expect(await verifies(got, "my-own-key")).toBe(false);
  });

  it("signs a personal access token's subscription with its own key", async () => {
    const pat = await control("personal-tokens", {
      coachEmail: "dana@coach.test",
      scope: "users:read webhooks:read webhooks:write scheduled_events:read",
    });
    expect(pat.status).toBe(201);
    const { token } = (await pat.json()) as { token: string };
    const me = (await (await call(token, "/users/me")).json()) as {
      resource: { uri: string; current_organization: string };
    };
    const hook = receiver();
    await subscribe(
      token,
      { owner: me.resource.uri, organization: me.resource.current_organization },
      hook.url,
      ["invitee.created"],
      "pat-key",
    );
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    const [got] = await until(
      () => hook.received,
      (r) => r.length === 1,
      "delivery",
    );
    if (!got) throw new Error("no delivery");
    expect(await verifies(got, "pat-key")).toBe(true);
    expect(await verifies(got, APP_SIGNING_KEY)).toBe(false);
  });

  it("names the subscription's creator in created_by", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url, ["invitee.created"]);
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    const [got] = await until(
      () => hook.received,
      (r) => r.length === 1,
      "delivery",
    );
    expect(got?.envelope.created_by).toBe(t.owner);
  });
});

describe("fake Calendly no-shows", () => {
  it("leave the invitee's updated_at alone, in the API and in the webhooks", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url, [
      "invitee_no_show.created",
      "invitee_no_show.deleted",
    ]);
    const [slot = ""] = await freeSlots(1);
    const booked = await book(slot);
    const path = booked.invitee.slice(CALENDLY.length);
    const read = async () =>
      ((await (await call(t.access_token, path)).json()) as { resource: Envelope["payload"] })
        .resource;
    const before = await read();
    await new Promise((r) => setTimeout(r, 5)); // a bump would now show in the timestamp

    expect((await control("no-show", { inviteeUri: booked.invitee, noShow: true })).status).toBe(
      200,
    );
    const marked = await read();
    expect(marked.no_show).toMatchObject({ uri: expect.any(String) });
    expect(marked.updated_at).toBe(before.updated_at);

    await control("no-show", { inviteeUri: booked.invitee, noShow: false });
    expect((await read()).updated_at).toBe(before.updated_at);

    const got = await until(
      () => hook.received,
      (r) => r.length === 2,
      "no-show deliveries",
    );
    expect(got.map((r) => r.envelope.event)).toEqual([
      "invitee_no_show.created",
      "invitee_no_show.deleted",
    ]);
    for (const r of got) expect(r.envelope.payload.updated_at).toBe(before.updated_at);
    expect(got[0]?.envelope.created_at).not.toBe(got[1]?.envelope.created_at);
  });
});

describe("fake Calendly delivery failures", () => {
  it("deletes the subscription at once on 410 Gone, with no retry", async () => {
    const t = await dana();
    const hook = receiver(() => 410);
    const uri = await subscribe(t.access_token, t, hook.url, ["invitee.created"]);
    const [a = "", b = ""] = await freeSlots(2);
    await book(a);
    await until(
      () => hook.received,
      (r) => r.length === 1,
      "delivery",
    );
    await settle();
    expect((await subscriptionOf(t.access_token, uri)).status).toBe(404);
    expect(await deliveriesOf(uri)).toMatchObject([
      { status: "failed", attempts: 1, last_status: 410, next_attempt_at: null },
    ]);
    await retryDueDeliveries(env, Date.now() + 3_600_000);
    await book(b);
    await settle();
    expect(hook.received).toHaveLength(1);
  });

  it("retries other failures with back-off for 24 hours on the fake's clock, then disables", async () => {
    const t = await dana();
    let failing = true;
    const hook = receiver(() => (failing ? 500 : 200));
    const uri = await subscribe(t.access_token, t, hook.url, ["invitee.created"]);
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    await until(
      () => hook.received,
      (r) => r.length === 1,
      "first attempt",
    );
    await settle();
    const [first] = await deliveriesOf(uri);
    if (!first?.next_attempt_at) throw new Error("no retry scheduled");
    const queuedAt = first.created_at;
    expect(first.next_attempt_at - queuedAt).toBeGreaterThanOrEqual(55_000);

    // Not due yet: the cron leaves it.
    await retryDueDeliveries(env, first.next_attempt_at - 1);
    expect(hook.received).toHaveLength(1);

    // Walk the fake's clock from one due retry to the next.
    const gaps: number[] = [];
    let at = first.next_attempt_at;
    for (let i = 0; i < 60; i++) {
      await retryDueDeliveries(env, at);
      const [row] = await deliveriesOf(uri);
      const sub = (await (await subscriptionOf(t.access_token, uri)).json()) as {
        resource: { state: string; retry_started_at: string | null };
      };
      if (sub.resource.state === "disabled") {
        expect(sub.resource.retry_started_at).toEqual(expect.any(String));
        expect(at - queuedAt).toBeGreaterThanOrEqual(24 * 3_600_000);
        break;
      }
      expect(at - queuedAt).toBeLessThanOrEqual(24 * 3_600_000);
      if (!row?.next_attempt_at) throw new Error("retry not rescheduled");
      gaps.push(row.next_attempt_at - at);
      at = row.next_attempt_at;
    }
    expect(gaps.slice(0, 3)).toEqual([120_000, 240_000, 480_000]);
    expect(hook.received.length).toBeGreaterThan(20);
    const [last] = await deliveriesOf(uri);
    expect(last).toMatchObject({ status: "failed", next_attempt_at: null });

    // Disabled is final: nothing more is sent, even once the receiver works again.
    failing = false;
    const sent = hook.received.length;
    await retryDueDeliveries(env, at + 86_400_000);
    expect(hook.received).toHaveLength(sent);
  });

  it("recovers when a retry succeeds within the day", async () => {
    const t = await dana();
    let failing = true;
    const hook = receiver(() => (failing ? 503 : 200));
    const uri = await subscribe(t.access_token, t, hook.url, ["invitee.created"]);
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    await until(
      () => hook.received,
      (r) => r.length === 1,
      "first attempt",
    );
    await settle();
    failing = false;
    await retryDueDeliveries(env, Date.now() + 30 * 60_000);
    expect(hook.received).toHaveLength(2);
    expect(await deliveriesOf(uri)).toMatchObject([{ status: "delivered", attempts: 2 }]);
    const sub = (await (await subscriptionOf(t.access_token, uri)).json()) as {
      resource: { state: string; retry_started_at: string | null };
    };
    expect(sub.resource).toMatchObject({ state: "active", retry_started_at: null });
  });
});

describe("fake Calendly delivery modes", () => {
  it("out_of_order: a cancel can arrive before its booking", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url);
    await control("settings", { webhookMode: "out_of_order" });
    const [slot = ""] = await freeSlots(1);
    const booked = await book(slot);
    await settle();
    expect(hook.received).toHaveLength(0); // held back for the next action
    await control("cancel", { inviteeUri: booked.invitee, canceledBy: "invitee" });
    const got = await until(
      () => hook.received,
      (r) => r.length === 2,
      "both deliveries",
    );
    expect(got.map((r) => [r.envelope.event, r.envelope.payload.uri])).toEqual([
      ["invitee.canceled", booked.invitee],
      ["invitee.created", booked.invitee],
    ]);
  });

  it("out_of_order: a held delivery still goes out with the cron when nothing follows", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url);
    await control("settings", { webhookMode: "out_of_order" });
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    await settle();
    await retryDueDeliveries(env, Date.now() + 60_000);
    expect(hook.received).toHaveLength(0);
    await retryDueDeliveries(env, Date.now() + 15 * 60_000);
    expect(hook.received.map((r) => r.envelope.event)).toEqual(["invitee.created"]);
  });

  it("sends every held delivery with the next cron run once the mode is back to normal", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url);
    await control("settings", { webhookMode: "out_of_order" });
    const [slot = ""] = await freeSlots(1);
    await book(slot);
    await settle();
    await retryDueDeliveries(env);
    expect(hook.received).toHaveLength(0);
    await control("settings", { webhookMode: "normal" });
    await retryDueDeliveries(env);
    expect(hook.received.map((r) => r.envelope.event)).toEqual(["invitee.created"]);
  });

  it("duplicate: sends back-to-back copies and a late one after the next change", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url);
    await control("settings", { webhookMode: "duplicate" });
    const [slot = ""] = await freeSlots(1);
    const booked = await book(slot);
    await until(
      () => hook.received,
      (r) => r.length === 2,
      "back-to-back copies",
    );
    await settle();
    expect(hook.received).toHaveLength(2);
    await control("cancel", { inviteeUri: booked.invitee, canceledBy: "invitee" });
    const got = await until(
      () => hook.received,
      (r) => r.length === 5,
      "late copy",
    );
    expect(got.map((r) => r.envelope.event)).toEqual([
      "invitee.created",
      "invitee.created",
      "invitee.canceled",
      "invitee.canceled",
      "invitee.created", // stale: the booking, after its cancel
    ]);
    expect(got[4]?.body).toBe(got[0]?.body);
  });
});

describe("fake Calendly event-type controls", () => {
  it("create, update and delete send event_type.* webhooks and change the API", async () => {
    const t = await dana();
    const hook = receiver();
    await subscribe(t.access_token, t, hook.url, [
      "event_type.created",
      "event_type.updated",
      "event_type.deleted",
    ]);
    const created = await control("event-types", {
      coachEmail: "dana@coach.test",
      name: "Deep Dive",
      duration: 90,
    });
    expect(created.status).toBe(201);
    const { resource } = (await created.json()) as {
      resource: { uri: string; slug: string; duration: number };
    };
    expect(resource).toMatchObject({ slug: "deep-dive", duration: 90 });
    const id = resource.uri.slice(resource.uri.lastIndexOf("/") + 1);
    const list = (await (
      await call(t.access_token, `/event_types?user=${encodeURIComponent(t.owner)}`)
    ).json()) as { collection: { uri: string }[] };
    expect(list.collection.map((e) => e.uri)).toContain(resource.uri);

    expect(
      (await control(`event-types/${id}`, { name: "Deep Dive (long)", duration: 120 }, "PATCH"))
        .status,
    ).toBe(200);
    expect((await control(`event-types/${id}`, undefined, "DELETE")).status).toBe(204);
    expect((await call(t.access_token, `/event_types/${id}`)).status).toBe(404);

    const got = await until(
      () => hook.received,
      (r) => r.length === 3,
      "event-type deliveries",
    );
    expect(got.map((r) => [r.envelope.event, r.envelope.payload.uri])).toEqual([
      ["event_type.created", resource.uri],
      ["event_type.updated", resource.uri],
      ["event_type.deleted", resource.uri],
    ]);
    expect(got[1]?.envelope.payload).toMatchObject({ name: "Deep Dive (long)", duration: 120 });
    expect(got[2]?.envelope.payload).toMatchObject({
      active: false,
      deleted_at: expect.any(String),
    });
    const stamps = new Set(got.map((r) => r.envelope.payload.updated_at));
    expect(stamps.size).toBe(3); // each change is a new version for a deduping receiver
    expect(await verifies(got[0] as Received, APP_SIGNING_KEY)).toBe(true);
  });

  it("refuses bad bodies, unknown coaches, taken slugs and unknown types", async () => {
    const bad = await control("event-types", { coachEmail: "dana@coach.test", duration: 0 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ title: "Invalid Argument" });
    const nobody = await control("event-types", {
      coachEmail: "nobody@coach.test",
      name: "X",
      duration: 30,
    });
    expect(nobody.status).toBe(404);
    const taken = await control("event-types", {
      coachEmail: "dana@coach.test",
      name: "Intro Call",
      duration: 30,
    });
    expect(taken.status).toBe(409);
    expect((await control("event-types/nope", { name: "Y" }, "PATCH")).status).toBe(404);
    expect((await control("event-types/nope", undefined, "DELETE")).status).toBe(404);
    expect((await control("personal-tokens", { coachEmail: "dana@coach.test" })).status).toBe(400);
  });
});
