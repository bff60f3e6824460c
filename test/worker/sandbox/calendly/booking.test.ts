import { describe, expect, it } from "vitest";
import { call, tokensFor } from "../../helpers/sandbox-calendly";

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
    expect(ev.resource.location).toEqual({
      type: "zoom",
      status: "processing",
      join_url: null,
      data: null,
    });
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
});
