import { exports } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { verifyCalendlySignature } from "../../../../worker/calendly/webhook-signature";
import { call, tokensFor } from "../../helpers/sandbox-calendly";
import { server } from "../../setup";

type Times = { collection: { start_time: string; invitees_remaining: number }[] };
const DAY = 86_400_000;

async function danaIntroCall() {
  const t = await tokensFor("dana@coach.test");
  const types = (await (
    await call(t.access_token, `/event_types?user=${encodeURIComponent(t.owner)}`)
  ).json()) as {
    collection: { uri: string; slug: string }[];
  };
  const intro = types.collection.find((e) => e.slug === "intro-call");
  if (!intro) throw new Error("seed");
  return { t, intro };
}

const times = async (token: string, eventType: string, from: number, to: number) => {
  const qs = new URLSearchParams({
    event_type: eventType,
    start_time: new Date(from).toISOString(),
    end_time: new Date(to).toISOString(),
  });
  return call(token, `/event_type_available_times?${qs}`);
};

describe("sandbox Calendly availability and booking", () => {
  it("offers slots inside Dana's New York hours, never in the lunch break, and validates the window", async () => {
    const { t, intro } = await danaIntroCall();
    const from = Date.now() + DAY;
    const res = await times(t.access_token, intro.uri, from, from + 7 * DAY);
    expect(res.status).toBe(200);
    const slots = ((await res.json()) as Times).collection;
    expect(slots.length).toBeGreaterThan(10);
    for (const s of slots) {
      const local = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        weekday: "short",
      }).format(new Date(s.start_time));
      const [, hh = "0", mm = "0"] = local.match(/(\d\d):(\d\d)/) ?? [];
      const minutes = Number(hh) * 60 + Number(mm);
      expect(local).not.toMatch(/Sat|Sun/);
      expect(minutes >= 9 * 60 && minutes + 30 <= 17 * 60).toBe(true);
      expect(minutes >= 12 * 60 && minutes < 13 * 60).toBe(false);
    }
    expect(
      (await times(t.access_token, intro.uri, Date.now() - DAY, Date.now() + DAY)).status,
    ).toBe(400);
    expect((await times(t.access_token, intro.uri, from, from + 32 * DAY)).status).toBe(400);
  });

  it("books a free slot with POST /invitees, then refuses the same slot", async () => {
    const { t, intro } = await danaIntroCall();
    const from = Date.now() + 3 * DAY;
    const [slot] = (
      (await (await times(t.access_token, intro.uri, from, from + 5 * DAY)).json()) as Times
    ).collection;
    if (!slot) throw new Error("no slot");
    const body = JSON.stringify({
      event_type: intro.uri,
      start_time: slot.start_time,
      invitee: { email: "new@client.test", name: "New Client", timezone: "Europe/Paris" },
      questions_and_answers: [
        { question: "Phone number (optional)", answer: "+33 1 23 45 67 89", position: 0 },
      ],
      tracking: { utm_source: "newsletter", utm_medium: 42 },
    });
    const first = await call(t.access_token, "/invitees", { method: "POST", body });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { resource: { event: string } };
    expect(created).toMatchObject({
      resource: {
        email: "new@client.test",
        status: "active",
        scheduling_method: "api",
        // Echoed as Calendly does; non-string tags are dropped, unset ones are null.
        questions_and_answers: [
          { question: "Phone number (optional)", answer: "+33 1 23 45 67 89", position: 0 },
        ],
        tracking: { utm_source: "newsletter", utm_medium: null, utm_campaign: null },
        payment: null,
      },
    });
    const ev = (await (
      await call(t.access_token, `/scheduled_events/${created.resource.event.split("/").pop()}`)
    ).json()) as {
      resource: { location: { type: string; status: string; join_url: string | null } };
    };
    // A fresh booking's conference link is not ready yet, as on Calendly.
    expect(ev.resource.location).toEqual({ type: "zoom", status: "processing", join_url: null });
    const second = await call(t.access_token, "/invitees", { method: "POST", body });
    expect(second.status).toBe(404);
    const after = (
      (await (await times(t.access_token, intro.uri, from, from + 5 * DAY)).json()) as Times
    ).collection;
    expect(after.map((s) => s.start_time)).not.toContain(slot.start_time);
  });

  it("seeds paid coaching sessions with Calendly's payment object and the clients' answers", async () => {
    const t = await tokensFor("dana@coach.test");
    const events = (await (
      await call(t.access_token, `/scheduled_events?user=${encodeURIComponent(t.owner)}&count=100`)
    ).json()) as { collection: { uri: string; name: string }[] };
    const paid = events.collection.find((e) => e.name === "Coaching Session");
    if (!paid) throw new Error("seed");
    const invitees = (await (
      await call(t.access_token, `/scheduled_events/${paid.uri.split("/").pop()}/invitees`)
    ).json()) as {
      collection: {
        payment: { provider: string; amount: number; currency: string; successful: boolean };
        questions_and_answers: { question: string; answer: string }[];
      }[];
    };
    const [first] = invitees.collection;
    expect(first?.payment).toMatchObject({
      provider: "stripe",
      amount: 150,
      currency: "USD",
      successful: true,
    });
    expect(first?.questions_and_answers[0]?.question).toBe(
      "What would you like to focus on in this session?",
    );
  });

  it("cancels an event once (201), then 403 'already canceled'", async () => {
    const t = await tokensFor("lee@coach.test");
    const list = (await (
      await call(
        t.access_token,
        `/scheduled_events?user=${encodeURIComponent(t.owner)}&status=active&min_start_time=${new Date().toISOString()}`,
      )
    ).json()) as {
      collection: { uri: string }[];
    };
    const uuid = list.collection[0]?.uri.split("/").pop();
    const cancel = () =>
      call(t.access_token, `/scheduled_events/${uuid}/cancellation`, {
        method: "POST",
        body: JSON.stringify({ reason: "Sick" }),
      });
    const first = await cancel();
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      resource: { canceler_type: "host", reason: "Sick" },
    });
    const again = await cancel();
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ message: "Event is already canceled" });
  });

  it("signs deliveries as Calendly does, rejects duplicate hook URLs, and disables after repeated failures", async () => {
    const { t } = await danaIntroCall();
    const received: { header: string; body: string }[] = [];
    let failing = false;
    server.use(
      http.post("http://hooks.test/calendly", async ({ request }) => {
        received.push({
          header: request.headers.get("calendly-webhook-signature") ?? "",
          body: await request.text(),
        });
        return failing
          ? new HttpResponse("down", { status: 500 })
          : HttpResponse.json({ ok: true });
      }),
    );
    const create = () =>
      call(t.access_token, "/webhook_subscriptions", {
        method: "POST",
        body: JSON.stringify({
          url: "http://hooks.test/calendly",
          events: ["invitee.created", "invitee.canceled"],
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

    const envelope = {
      event: "invitee.created",
      created_at: new Date().toISOString(),
      created_by: t.owner,
      payload: { uri: "x" },
    };
    const deliver = () =>
      exports.default.fetch("http://kairos.test/sandbox/calendly/webhooks/deliver", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(envelope),
      });
    const res = await deliver();
    expect(await res.json()).toEqual({ status: 200, body: '{"ok":true}' });
    const [got] = received;
    expect(
      await verifyCalendlySignature({
        header: got?.header,
        rawBody: got?.body ?? "",
        keys: ["my-key"],
      }),
    ).toEqual({ ok: true });
    expect(
      await verifyCalendlySignature({
        header: got?.header,
        rawBody: got?.body ?? "",
        keys: ["other"],
      }),
    ).toMatchObject({ ok: false });

    failing = true;
    for (let i = 0; i < 5; i++) await deliver();
    const subs = (await (
      await call(
        t.access_token,
        `/webhook_subscriptions?organization=${encodeURIComponent(t.organization)}&scope=user&user=${encodeURIComponent(t.owner)}`,
      )
    ).json()) as {
      collection: { state: string; retry_started_at: string | null }[];
    };
    expect(subs.collection[0]).toMatchObject({
      state: "disabled",
      retry_started_at: expect.any(String),
    });
  });
});
