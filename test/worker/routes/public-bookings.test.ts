import { env, exports } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { syncNextPage } from "../../../worker/bookings/reconcile";
import { createDb } from "../../../worker/db/client";
import { issueFormToken } from "../../../worker/public-booking/tokens";
import {
  bookingBody,
  intentCount,
  openSlots,
  postBooking,
  readyCoach,
  sandboxInvitees,
} from "../helpers/public-booking";
import { api, ORIGIN } from "../helpers/sign-in";
import { syncWindow } from "../helpers/sync-run";
import { server } from "../setup";

type Booked = {
  booking: { id: string; status: string; startTime: string; manageUrl: string; icsUrl: string };
  series: { occurrences: { status: string; startTime: string }[] } | null;
};
type Failure = { error: { code: string; details: { field: string }[] | { slots: string[] } } };

describe("public coach profile and availability", () => {
  it("lists bookable event types with their questions, and serves slots from the cache", async () => {
    await readyCoach();
    const res = await exports.default.fetch(`${ORIGIN}/api/public/coaches/dana-reyes`);
    expect(res.status).toBe(200);
    const profile = (await res.json()) as {
      coach: { name: string; timeZone: string };
      eventTypes: { slug: string; questions: { name: string; required: boolean }[] }[];
    };
    expect(profile.coach).toMatchObject({ name: "Dana Reyes", timeZone: "America/New_York" });
    const session = profile.eventTypes.find((t) => t.slug === "coaching-session");
    expect(session?.questions.map((q) => q.required)).toEqual([true, false]);

    const first = await openSlots("dana-reyes", "intro-call");
    expect(first.length).toBeGreaterThan(0);
    for (const slot of first) expect(slot).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    // The booking window (4 h notice) is applied.
    expect(Date.parse(first[0] ?? "")).toBeGreaterThan(Date.now() + 4 * 3_600_000 - 1_000);
    expect(await openSlots("dana-reyes", "intro-call")).toEqual(first);
    // A later request for "from now" is served from the same cache entry (not re-read from Calendly).
    const updatedAt = async () => {
      const q = new URLSearchParams({
        coach: "dana-reyes",
        eventType: "intro-call",
        from: new Date().toISOString(),
        to: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      });
      const res = await exports.default.fetch(`${ORIGIN}/api/public/availability?${q}`);
      return ((await res.json()) as { updatedAt: string }).updatedAt;
    };
    const firstRead = await updatedAt();
    await new Promise((r) => setTimeout(r, 20));
    expect(await updatedAt()).toBe(firstRead);

    expect((await exports.default.fetch(`${ORIGIN}/api/public/coaches/nobody-here`)).status).toBe(
      404,
    );
  });
});

describe("POST /api/public/bookings", () => {
  it("books a slot: 201, the invitee exists in Calendly, the intent is booked and audited", async () => {
    await readyCoach();
    const [slot] = await openSlots("dana-reyes", "coaching-session");
    const email = "first.booking@client.test";
    const res = await postBooking(
      await bookingBody({
        eventType: "coaching-session",
        startTime: slot,
        email,
        answers: {
          "What would you like to focus on in this session?": "Leading a new team",
          "Which areas apply? (select all)": ["Leadership", "Communication"],
        },
        tracking: { utm_source: "newsletter", referrer: "https://coach.example/book" },
      }),
    );
    expect(res.status).toBe(201);
    const { booking } = (await res.json()) as Booked;
    expect(booking).toMatchObject({ status: "booked", startTime: slot });
    expect(await sandboxInvitees(email)).toBe(1);
    const row = await env.DB.prepare(
      "select status, invitee_uri, tracking from booking_intents where id = ?",
    )
      .bind(booking.id)
      .first<{ status: string; invitee_uri: string; tracking: string }>();
    expect(row?.status).toBe("booked");
    expect(row?.invitee_uri).toContain("/invitees/");
    expect(JSON.parse(row?.tracking ?? "{}")).toMatchObject({ utm_source: "newsletter" });
    const audit = await env.DB.prepare(
      "select action from audit_log where subject = ? order by created_at",
    )
      .bind(booking.id)
      .all<{ action: string }>();
    expect(audit.results.map((a) => a.action)).toEqual(["booking.requested", "booking.booked"]);
    // The slot is gone from the public availability right away (cache invalidated).
    expect(await openSlots("dana-reyes", "coaching-session")).not.toContain(slot);
  });

  it("20 concurrent bookings of one slot: exactly one 201, the rest 409, one invitee", async () => {
    await readyCoach();
    const slot = (await openSlots("dana-reyes", "intro-call"))[3];
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        postBooking(
          await bookingBody({
            startTime: slot,
            email: `racer${i}@client.test`,
            name: `Racer ${i}`,
          }),
        ),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const loser = answers.find((r) => r.status === 409);
    const body = (await loser?.json()) as Failure;
    expect(body.error.code).toBe("conflict");
    expect(Array.isArray((body.error.details as { slots: string[] }).slots)).toBe(true);
    const invitees = await env.DB.prepare(
      "select count(*) as n from sandbox_calendly_invitees i join sandbox_calendly_events e on e.id = i.event_id where e.start_time = ? and i.status = 'active'",
    )
      .bind(Date.parse(slot ?? ""))
      .first<{ n: number }>();
    expect(invitees?.n).toBe(1);
  });

  it("a double-submitted form books once and both answers show the same booking", async () => {
    await readyCoach();
    const slot = (await openSlots("dana-reyes", "intro-call"))[6];
    const body = await bookingBody({ startTime: slot, email: "twice@client.test" });
    const [a, b] = await Promise.all([postBooking(body), postBooking(body)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const ids = [((await a.json()) as Booked).booking.id, ((await b.json()) as Booked).booking.id];
    expect(ids[0]).toBe(ids[1]);
    expect(await sandboxInvitees("twice@client.test")).toBe(1);
  });

  it("a retry after a lost answer finds the booking instead of booking twice", async () => {
    await readyCoach();
    const slot = (await openSlots("dana-reyes", "intro-call"))[9];
    const email = "lost.answer@client.test";
    let posts = 0;
    let hideLookup = true;
    server.use(
      http.post(`${ORIGIN}/sandbox/calendly/invitees`, async ({ request }) => {
        posts++;
        if (posts > 1) return; // later calls go through (none expected)
        await exports.default.fetch(request as Request); // Calendly books it…
        return HttpResponse.error(); // …and the answer is lost on the way back.
      }),
      http.get(`${ORIGIN}/sandbox/calendly/scheduled_events`, ({ request }) => {
        if (!hideLookup || !new URL(request.url).searchParams.has("invitee_email")) return;
        hideLookup = false; // Calendly's search lags the first time.
        return HttpResponse.json({
          collection: [],
          pagination: { count: 0, next_page: null, next_page_token: null },
        });
      }),
    );
    const body = await bookingBody({ startTime: slot, email });
    const first = await postBooking(body);
    expect(first.status).toBe(503);
    expect(((await first.json()) as { error: { message: string } }).error.message).toMatch(
      /not be booked twice/,
    );
    const retry = await postBooking({
      ...body,
      formToken: await issueFormToken(env.SESSION_SECRET, Date.now() - 10_000),
    });
    expect(retry.status).toBe(201);
    expect(posts).toBe(1);
    expect(await sandboxInvitees(email)).toBe(1);
  });

  it("books a weekly series occurrence by occurrence and reports each", async () => {
    await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call", 40);
    // A slot whose next two weeks are open too.
    const start = slots.find((s) =>
      [1, 2].every((w) =>
        slots.includes(new Date(Date.parse(s) + w * 7 * 86_400_000).toISOString()),
      ),
    );
    expect(start).toBeTruthy();
    const res = await postBooking(
      await bookingBody({ startTime: start, email: "weekly@client.test", recurring: { weeks: 3 } }),
    );
    expect(res.status).toBe(201);
    const { series } = (await res.json()) as Booked;
    expect(series?.occurrences.map((o) => o.status)).toEqual(["booked", "booked", "booked"]);
    expect(await sandboxInvitees("weekly@client.test")).toBe(3);
    const ids = await env.DB.prepare(
      "select count(distinct series_id) as n, count(*) as c from booking_intents where email = 'weekly@client.test'",
    ).first<{ n: number; c: number }>();
    expect(ids).toEqual({ n: 1, c: 3 });

    // Once Kairos has the sessions (webhooks, or a sync as here), the series shows in the dashboard.
    const { jar, id: coachId } = await readyCoach();
    const scope = { db: createDb(env.DB), coachId };
    await syncWindow(scope, { start: new Date(), end: new Date(Date.now() + 60 * 86_400_000) });
    const listed = await api(jar, "/api/sessions?q=weekly%40client.test");
    const { items } = (await listed.json()) as {
      items: { invitees: { seriesId?: string; bookedWithWidget: boolean }[] }[];
    };
    expect(items).toHaveLength(3);
    const seriesIds = new Set(items.map((i) => i.invitees[0]?.seriesId));
    expect(seriesIds.size).toBe(1);
    expect([...seriesIds][0]).toMatch(/^ser_/);

    // Filters: booked through the widget, or not.
    const viaWidget = (await (await api(jar, "/api/sessions?limit=100&source=widget")).json()) as {
      items: { invitees: { bookedWithWidget: boolean }[] }[];
    };
    expect(viaWidget.items.length).toBeGreaterThanOrEqual(3);
    expect(viaWidget.items.every((i) => i.invitees.some((p) => p.bookedWithWidget))).toBe(true);
    const elsewhere = (await (
      await api(jar, "/api/sessions?limit=100&source=calendly")
    ).json()) as {
      items: { invitees: { bookedWithWidget: boolean }[] }[];
    };
    expect(elsewhere.items.some((i) => i.invitees.some((p) => p.bookedWithWidget))).toBe(false);
  });
});

describe("bad input is refused with field messages and stores nothing", () => {
  it.each([
    ["missing fields", { name: undefined, startTime: undefined }, ["name", "startTime"]],
    ["a bad email", { email: "not-an-email" }, ["email"]],
    [
      "wrong types",
      { answers: "yes", recurring: { weeks: "two" } },
      ["answers", "recurring.weeks"],
    ],
    [
      "a 100 KB answer",
      { answers: { "Phone number (optional)": "x".repeat(100_000) } },
      ["answers.Phone number (optional)"],
    ],
    ["a foreign return URL", { returnUrl: "https://evil.example/thanks" }, ["returnUrl"]],
    [
      "a slot outside the window",
      { startTime: new Date(Date.now() + 3_600_000).toISOString() },
      ["startTime"],
    ],
    [
      "an unknown question",
      { answers: { "Favourite colour?": "blue" } },
      ["answers.Favourite colour?"],
    ],
    ["a filled honeypot", { website: "http://spam.example" }, ["website"]],
    ["a too-fast submit", { formToken: "now" }, ["formToken"]],
    ["a failed Turnstile check", { turnstileToken: "fail" }, ["turnstileToken"]],
  ])("%s", async (_name, overrides, fields) => {
    await readyCoach();
    const [slot] = await openSlots("dana-reyes", "intro-call");
    const before = await intentCount();
    const body = await bookingBody({ startTime: slot, ...overrides });
    if ("formToken" in overrides) body.formToken = await issueFormToken(env.SESSION_SECRET);
    const res = await postBooking(body);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as Failure).error;
    const named = (error.details as { field: string }[]).map((d) => d.field);
    for (const field of fields) expect(named).toContain(field);
    expect(await intentCount()).toBe(before);
  });

  it("an eleventh attempt in a minute from one IP gets 429", async () => {
    await readyCoach();
    // The limiter counts per clock minute: start early in one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const [slot] = await openSlots("dana-reyes", "intro-call");
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const body = await bookingBody({ startTime: slot, turnstileToken: "fail" });
      statuses.push((await postBooking(body, "203.0.113.77")).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });
});

describe("the manage link", () => {
  it("shows the booking, offers an .ics, and cancels it in Calendly", async () => {
    await readyCoach();
    const slot = (await openSlots("dana-reyes", "intro-call"))[12];
    const res = await postBooking(
      await bookingBody({ startTime: slot, email: "manage@client.test" }),
    );
    const { booking } = (await res.json()) as Booked;
    const token = booking.manageUrl.split("/manage/")[1] ?? "";

    const view = await exports.default.fetch(`${ORIGIN}/api/public/bookings/${token}`);
    expect(((await view.json()) as { status: string }).status).toBe("booked");
    const ics = await exports.default.fetch(booking.icsUrl);
    expect(ics.headers.get("content-type")).toMatch(/text\/calendar/);
    const text = await ics.text();
    expect(text).toContain("BEGIN:VCALENDAR");
    expect(text).toContain(`DTSTART:${slot?.replace(/[-:]/g, "").replace(".000", "")}`);

    const cancel = await exports.default.fetch(`${ORIGIN}/api/public/bookings/${token}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "Something came up" }),
    });
    expect(cancel.status).toBe(200);
    expect(await sandboxInvitees("manage@client.test")).toBe(0);

    const forged = `${token.slice(0, -4)}abcd`;
    expect((await exports.default.fetch(`${ORIGIN}/api/public/bookings/${forged}`)).status).toBe(
      404,
    );
  });
});
