/**
 * The fake's `POST /invitees` as strict as Calendly's Scheduling API: per-plan request windows
 * counted in D1, strict body checks, the slot-taken control, and plan gating of the rate limit
 * and of plan-feature webhook events.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CALENDLY_SCOPES } from "../../../../worker/calendly/oauth";
import { takeInviteeBudget } from "../../../../worker/sandbox/calendly/plans";
import { sandboxDb } from "../../../../worker/sandbox/calendly/store";
import { CALENDLY, call, tokensFor } from "../../helpers/sandbox-calendly";

const DAY = 86_400_000;
type Times = { collection: { start_time: string }[] };

/** Fresh tokens and intro-call slots for a coach (each test books its own slots). */
async function coach(email = "dana@coach.test", slug = "intro-call") {
  const t = await tokensFor(email);
  const types = (await (
    await call(t.access_token, `/event_types?user=${encodeURIComponent(t.owner)}`)
  ).json()) as { collection: { uri: string; slug: string }[] };
  const type = types.collection.find((e) => e.slug === slug);
  if (!type) throw new Error("seed");
  return { t, type };
}

async function slotsOf(token: string, eventType: string, fromDays: number) {
  const from = Date.now() + fromDays * DAY;
  const qs = new URLSearchParams({
    event_type: eventType,
    start_time: new Date(from).toISOString(),
    end_time: new Date(from + 7 * DAY).toISOString(),
  });
  const res = await call(token, `/event_type_available_times?${qs}`);
  return ((await res.json()) as Times).collection.map((s) => s.start_time);
}

const invitee = (eventType: string, start: string | undefined, over: object = {}) => ({
  event_type: eventType,
  start_time: start,
  invitee: { email: "pace@client.test", name: "Pace Client", timezone: "Europe/Paris" },
  ...over,
});

const post = (token: string, body: unknown) =>
  call(token, "/invitees", { method: "POST", body: JSON.stringify(body) });

const control = (path: string, body: unknown) =>
  exports.default.fetch(`${CALENDLY}/control/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** The limits count per clock minute: start early in one so a run never straddles two. */
async function earlyInMinute() {
  const into = Date.now() % 60_000;
  if (into > 40_000) await new Promise((r) => setTimeout(r, 60_500 - into));
}

describe("POST /invitees per-user limits (paid non-Enterprise by default)", () => {
  it("books 10 in a minute, then answers the 11th with 429 and the endpoint's X-RateLimit-*", async () => {
    const { t, type } = await coach();
    const slots = await slotsOf(t.access_token, type.uri, 2);
    expect(slots.length).toBeGreaterThan(11);
    await earlyInMinute();
    const answers: Response[] = [];
    for (let i = 0; i < 11; i++)
      answers.push(await post(t.access_token, invitee(type.uri, slots[i])));
    expect(answers.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(answers[9]?.headers.get("x-ratelimit-remaining")).toBe("0");
    const last = answers[10];
    expect(last?.status).toBe(429);
    expect(last?.headers.get("x-ratelimit-limit")).toBe("10");
    expect(last?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(last?.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
    expect(Number(last?.headers.get("x-ratelimit-reset"))).toBeLessThanOrEqual(60);
    expect(await last?.json()).toEqual({
      title: "Too Many Requests",
      message: "You have exceeded the rate limit",
    });
    // Nothing was booked by the refused request; other endpoints keep their own budget.
    const busy = await slotsOf(t.access_token, type.uri, 2);
    expect(busy).toContain(slots[10]);
  });

  it("counts the hour (50) and day (100) windows in D1, whatever the minute", async () => {
    const db = sandboxDb(env);
    const hourStart = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 10 * DAY;
    const oks: boolean[] = [];
    // 51 requests an hour apart by minutes: 5 a minute never trips the minute window.
    for (let i = 0; i < 51; i++) {
      const now = hourStart + Math.floor(i / 5) * 60_000 + (i % 5) * 1_000;
      oks.push((await takeInviteeBudget(db, "hour-user", "paid", now)).ok);
    }
    expect(oks.slice(0, 50).every(Boolean)).toBe(true);
    const over = await takeInviteeBudget(db, "hour-user", "paid", hourStart + 11 * 60_000);
    expect(over).toMatchObject({ ok: false, limit: 50, remaining: 0 });

    const dayStart = Math.ceil(Date.now() / DAY) * DAY + 20 * DAY;
    let last = { ok: true, limit: 0 };
    for (let i = 0; i < 101; i++) {
      const now = dayStart + Math.floor(i / 40) * 3_600_000 + (i % 40) * 60_000;
      last = await takeInviteeBudget(db, "day-user", "paid", now);
      if (i < 100) expect(last.ok).toBe(true);
    }
    expect(last).toMatchObject({ ok: false, limit: 100 });
    // Trial: 5 a day; Enterprise: 500 a minute.
    const trial = [];
    for (let i = 0; i < 6; i++) trial.push(await takeInviteeBudget(db, "trial-user", "trial"));
    expect(trial.map((b) => b.ok)).toEqual([true, true, true, true, true, false]);
    expect(trial[5]?.limit).toBe(5);
    for (let i = 0; i < 20; i++)
      expect((await takeInviteeBudget(db, "ent-user", "enterprise")).ok).toBe(true);
  });

  it("Enterprise books more than 10 a minute; trial stops after 5 a day", async () => {
    const { t, type } = await coach("lee@coach.test", "discovery-call");
    expect(
      (await control("plan", { coachEmail: "lee@coach.test", plan: "enterprise" })).status,
    ).toBe(200);
    const slots = await slotsOf(t.access_token, type.uri, 1);
    await earlyInMinute();
    for (let i = 0; i < 12; i++) {
      const res = await post(
        t.access_token,
        invitee(type.uri, slots[i], {
          invitee: { email: `e${i}@client.test`, name: "E", timezone: "UTC" },
        }),
      );
      expect(res.status).toBe(201);
    }
    await control("plan", { coachEmail: "lee@coach.test", plan: "trial" });
    const statuses = [];
    for (let i = 12; i < 18; i++)
      statuses.push((await post(t.access_token, invitee(type.uri, slots[i]))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    await control("plan", { coachEmail: "lee@coach.test", plan: "paid" });
  });
});

describe("POST /invitees checks its body as Calendly does", () => {
  it("refuses a bare uuid, a fake time zone, a foreign location kind and an inactive type", async () => {
    const { t, type } = await coach("lee@coach.test", "discovery-call");
    const [slot] = await slotsOf(t.access_token, type.uri, 3);
    const cases: [object, string][] = [
      [invitee(type.uri.split("/").pop() ?? "", slot), "event_type"],
      [
        invitee(type.uri, slot, {
          invitee: { email: "a@b.test", name: "A", timezone: "Mars/Olympus" },
        }),
        "invitee.timezone",
      ],
      [
        invitee(type.uri, slot, { location: { kind: "physical", location: "Main St 1" } }),
        "location.kind",
      ],
      [invitee(type.uri, slot, { location: { kind: "teleport" } }), "location.kind"],
    ];
    for (const [body, parameter] of cases) {
      const res = await post(t.access_token, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        title: "Invalid Argument",
        message: "The supplied parameters are invalid.",
        details: [{ parameter }],
      });
    }
    // The type's own location kind is accepted.
    const ok = await post(
      t.access_token,
      invitee(type.uri, slot, { location: { kind: "zoom_conference" } }),
    );
    expect(ok.status).toBe(201);

    await env.DB.prepare("update sandbox_calendly_event_types set active = 0 where id = ?")
      .bind(type.uri.split("/").pop())
      .run();
    const inactive = await post(t.access_token, invitee(type.uri, slot));
    expect(inactive.status).toBe(400);
    expect(await inactive.json()).toMatchObject({ details: [{ parameter: "event_type" }] });
    await env.DB.prepare("update sandbox_calendly_event_types set active = 1 where id = ?")
      .bind(type.uri.split("/").pop())
      .run();
  });

  it("a taken slot answers 404, or 400 naming start_time when the control says so", async () => {
    const { t, type } = await coach("lee@coach.test", "discovery-call");
    const [, slot] = await slotsOf(t.access_token, type.uri, 4);
    expect((await post(t.access_token, invitee(type.uri, slot))).status).toBe(201);
    const again = await post(t.access_token, invitee(type.uri, slot));
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ title: "Resource Not Found" });

    expect((await control("scheduling", { slotTakenStatus: 400 })).status).toBe(200);
    const as400 = await post(t.access_token, invitee(type.uri, slot));
    expect(as400.status).toBe(400);
    expect(await as400.json()).toEqual({
      title: "Invalid Argument",
      message: "The supplied parameters are invalid.",
      details: [{ parameter: "start_time", message: "The selected time is no longer available." }],
    });
    await control("scheduling", { slotTakenStatus: 404 });
    expect((await control("scheduling", { slotTakenStatus: 409 })).status).toBe(400);
  });
});

describe("plan gating", () => {
  it("Free: 50 requests a minute in the headers; paid: 500", async () => {
    const t = await tokensFor("dana@coach.test");
    expect((await call(t.access_token, "/users/me")).headers.get("x-ratelimit-limit")).toBe("500");
    await control("plan", { coachEmail: "dana@coach.test", plan: "free" });
    const plan = await exports.default.fetch(`${CALENDLY}/control/plan?coachEmail=dana@coach.test`);
    expect(await plan.json()).toMatchObject({ plan: "free", requestsPerMinute: 50 });
    expect((await call(t.access_token, "/users/me")).headers.get("x-ratelimit-limit")).toBe("50");
    await control("plan", { coachEmail: "dana@coach.test", plan: "paid" });
  });

  it("Free gets invitee webhooks (all plans since 2026-11-03) but not plan-feature events", async () => {
    const t = await tokensFor("dana@coach.test", `${CALENDLY_SCOPES} routing_forms:read`);
    await control("plan", { coachEmail: "dana@coach.test", plan: "free" });
    const subscribe = (url: string, events: string[]) =>
      call(t.access_token, "/webhook_subscriptions", {
        method: "POST",
        body: JSON.stringify({
          url,
          events,
          organization: t.organization,
          user: t.owner,
          scope: "user",
        }),
      });
    const gated = await subscribe("https://hooks.example/free-gated", [
      "invitee.created",
      "routing_form_submission.created",
    ]);
    expect(gated.status).toBe(403);
    expect(await gated.json()).toEqual({
      title: "Permission Denied",
      message: "Please upgrade to a paid Calendly account.",
    });
    const ok = await subscribe("https://hooks.example/free-ok", [
      "invitee.created",
      "invitee.canceled",
    ]);
    expect(ok.status).toBe(201);
    await control("plan", { coachEmail: "dana@coach.test", plan: "paid" });
  });
});
