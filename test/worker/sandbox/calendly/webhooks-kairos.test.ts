/**
 * Kairos against the fake Calendly's webhooks end to end: sign in through the sandbox (Kairos
 * subscribes with an OAuth token, so deliveries are signed with the app-wide key only), act in
 * Calendly through the control API, and watch Kairos accept the delivery and apply it through its
 * real queue consumer.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CALENDLY } from "../../helpers/sandbox-calendly";
import { sandboxSignIn, signInSettled } from "../../helpers/sandbox-sign-in";
import { api } from "../../helpers/sign-in";

const control = (path: string, body: unknown) =>
  exports.default.fetch(`${CALENDLY}/control/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string) {
  for (let i = 0; i < 150; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function danaSignedIn() {
  const { jar } = await sandboxSignIn("dana@coach.test");
  const coach = await env.DB.prepare(
    "select id from coaches where email = 'dana@coach.test'",
  ).first<{
    id: string;
  }>();
  if (!coach) throw new Error("no coach");
  await signInSettled(coach.id);
  return { jar, coachId: coach.id };
}

/** The fake's deliveries of `event` to Kairos's subscription callback, newest last. */
const deliveries = (event: string) =>
  env.DB.prepare(
    `select d.status, d.last_status from sandbox_calendly_deliveries d
       join sandbox_calendly_subscriptions s on s.id = d.subscription_id
      where d.event = ? and s.callback_url like 'http://kairos.test/webhooks/calendly/%'
      order by d.created_at`,
  )
    .bind(event)
    .all<{ status: string; last_status: number | null }>()
    .then((r) => r.results);

describe("Kairos and the fake Calendly's webhooks", () => {
  it("accepts a booking signed with the app-wide key only", async () => {
    const { jar } = await danaSignedIn();
    // Kairos subscribed with an OAuth token: the fake ignores the signing_key it sent.
    const subs = await env.DB.prepare(
      "select signing_key from sandbox_calendly_subscriptions where callback_url like 'http://kairos.test/webhooks/calendly/%'",
    ).all<{ signing_key: string | null }>();
    expect(subs.results).toEqual([{ signing_key: null }]);

    const slots = (await (
      await exports.default.fetch(
        `${CALENDLY}/control/slots?coachEmail=dana@coach.test&eventTypeSlug=intro-call`,
      )
    ).json()) as { slots: string[] };
    const booked = await control("book", {
      coachEmail: "dana@coach.test",
      eventTypeSlug: "intro-call",
      startTime: slots.slots[5],
      invitee: { name: "Robin Webhook", email: "robin@client.test" },
    });
    expect(booked.status).toBe(201);
    const [sent] = await eventually(
      () => deliveries("invitee.created"),
      (d) => d.length > 0 && d.every((x) => x.last_status !== null),
      "the delivery",
    );
    expect(sent).toEqual({ status: "delivered", last_status: 200 });

    const sessions = await eventually(
      async () =>
        JSON.stringify(await (await api(jar, "/api/sessions?q=robin%40client.test")).json()),
      (s) => s.includes("Robin Webhook"),
      "the session",
    );
    expect(sessions).toContain("Robin Webhook");
  }, 90_000);

  it("shows an event type created in Calendly once its event_type.created webhook is consumed", async () => {
    const { jar } = await danaSignedIn();
    const created = await control("event-types", {
      coachEmail: "dana@coach.test",
      name: "Deep Dive",
      duration: 90,
    });
    expect(created.status).toBe(201);
    const [sent] = await eventually(
      () => deliveries("event_type.created"),
      (d) => d.length > 0 && d.every((x) => x.last_status !== null),
      "the delivery",
    );
    expect(sent).toEqual({ status: "delivered", last_status: 200 });

    type Types = { items: { name: string; durationMinutes: number }[] };
    const types = await eventually(
      async () => (await (await api(jar, "/api/event-types")).json()) as Types,
      (t) => t.items.some((i) => i.name === "Deep Dive"),
      "the new event type in /api/event-types",
    );
    expect(types.items.find((i) => i.name === "Deep Dive")?.durationMinutes).toBe(90);
  }, 90_000);
});
