/**
 * Busy times, offered slots and event counters of the fake Calendly, as Calendly documents them:
 * busy windows start now or later and span ≤ 7 days, buffered times include the type's buffers,
 * slots step by `start_time_increment`, and `invitees_counter.total` counts canceled invitees.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CALENDLY, call, tokensFor } from "../../helpers/sandbox-calendly";

const DAY = 86_400_000;
const MIN = 60_000;
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const iso = (ms: number) => new Date(ms).toISOString();
const idOf = (uri: string) => uri.slice(uri.lastIndexOf("/") + 1);

const control = (path: string, body?: unknown) =>
  exports.default.fetch(`${CALENDLY}/control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function slotsOf(coachEmail: string, eventTypeSlug: string) {
  const res = await control(`slots?${q({ coachEmail, eventTypeSlug })}`);
  return ((await res.json()) as { slots: string[] }).slots;
}

async function book(coachEmail: string, eventTypeSlug: string, startTime: string, who: string) {
  const res = await control("book", {
    coachEmail,
    eventTypeSlug,
    startTime,
    invitee: { email: `${who}@client.test`, name: `Client ${who}` },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { event: string; invitee: string };
}

async function eventType(token: string, owner: string, slug: string) {
  const res = await call(token, `/event_types?${q({ user: owner })}`);
  const types = (await res.json()) as { collection: { uri: string; slug: string }[] };
  const et = types.collection.find((e) => e.slug === slug);
  if (!et) throw new Error(`no ${slug}`);
  return et.uri;
}

describe("user_busy_times", () => {
  it("refuses a start in the past, an end before the start and a span over 7 days", async () => {
    const t = await tokensFor("dana@coach.test");
    const busy = (from: number, to: number) =>
      call(
        t.access_token,
        `/user_busy_times?${q({ user: t.owner, start_time: iso(from), end_time: iso(to) })}`,
      );
    const now = Date.now();
    const refused = async (res: Response, parameter: string) => {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        title: "Invalid Argument",
        details: [{ parameter }],
      });
    };
    await refused(await busy(now - DAY, now + DAY), "start_time");
    await refused(await busy(now + 2 * DAY, now + DAY), "end_time");
    await refused(await busy(now + MIN, now + 7 * DAY + 2 * MIN), "end_time");
    expect((await busy(now + MIN, now + 7 * DAY)).status).toBe(200);
  });

  it("buffered times include the event type's before and after buffers, in busy times and memberships", async () => {
    const t = await tokensFor("dana@coach.test");
    const intro = await eventType(t.access_token, t.owner, "intro-call");
    const patched = await call(t.access_token, `/event_types/${idOf(intro)}`, {
      method: "PATCH",
      body: JSON.stringify({ before_buffer: 15, after_buffer: 10 }),
    });
    expect(patched.status).toBe(200);
    const [start] = await slotsOf("dana@coach.test", "intro-call");
    if (!start) throw new Error("no slot");
    const { event } = await book("dana@coach.test", "intro-call", start, "buffered");
    const startMs = Date.parse(start);
    const expected = {
      buffered_start_time: iso(startMs - 15 * MIN).replace("Z", "000Z"),
      buffered_end_time: iso(startMs + 30 * MIN + 10 * MIN).replace("Z", "000Z"),
    };

    const res = await call(
      t.access_token,
      `/user_busy_times?${q({
        user: t.owner,
        start_time: iso(Date.now() + MIN),
        end_time: iso(startMs + DAY),
      })}`,
    );
    expect(res.status).toBe(200);
    const { collection } = (await res.json()) as {
      collection: { type: string; event?: { uri: string } }[];
    };
    expect(collection.find((b) => b.event?.uri === event)).toMatchObject(expected);

    const ev = (await (await call(t.access_token, `/scheduled_events/${idOf(event)}`)).json()) as {
      resource: { event_memberships: Record<string, unknown>[] };
    };
    expect(ev.resource.event_memberships).toEqual([expect.objectContaining(expected)]);
    await call(t.access_token, `/event_types/${idOf(intro)}`, {
      method: "PATCH",
      body: JSON.stringify({ before_buffer: 0, after_buffer: 0 }),
    });
  });
});

describe("event_type_available_times", () => {
  it("steps by the event type's start_time_increment", async () => {
    const t = await tokensFor("lee@coach.test");
    const discovery = await eventType(t.access_token, t.owner, "discovery-call");
    const one = (await (await call(t.access_token, `/event_types/${idOf(discovery)}`)).json()) as {
      resource: { start_time_increment: number };
    };
    expect(one.resource.start_time_increment).toBe(20);
    const from = Date.now() + DAY;
    const res = await call(
      t.access_token,
      `/event_type_available_times?${q({
        event_type: discovery,
        start_time: iso(from),
        end_time: iso(from + 7 * DAY),
      })}`,
    );
    const starts = ((await res.json()) as { collection: { start_time: string }[] }).collection.map(
      (s) => Date.parse(s.start_time),
    );
    expect(starts.length).toBeGreaterThan(10);
    // Lee's hours start on the hour (Berlin): every start is a multiple of 20 minutes past it.
    for (const s of starts) expect((s / MIN) % 20).toBe(0);
    const gaps = new Set(starts.slice(1).map((s, i) => (s - (starts[i] ?? 0)) / MIN));
    expect(gaps.has(20)).toBe(true);
    expect(starts.some((s) => (s / MIN) % 60 === 20 || (s / MIN) % 60 === 40)).toBe(true);
  });
});

describe("invitees_counter", () => {
  it("total counts canceled invitees too; active only those still booked", async () => {
    const t = await tokensFor("dana@coach.test");
    const [start] = await slotsOf("dana@coach.test", "group-workshop");
    if (!start) throw new Error("no slot");
    const first = await book("dana@coach.test", "group-workshop", start, "group-a");
    const second = await book("dana@coach.test", "group-workshop", start, "group-b");
    expect(second.event).toBe(first.event);
    const cancel = await control("cancel", {
      inviteeUri: first.invitee,
      canceledBy: "invitee",
      reason: "Can't make it",
    });
    expect(cancel.status).toBe(200);
    const counter = async (eventUri: string) =>
      (
        (await (await call(t.access_token, `/scheduled_events/${idOf(eventUri)}`)).json()) as {
          resource: { invitees_counter: unknown };
        }
      ).resource.invitees_counter;
    expect(await counter(first.event)).toEqual({ total: 2, active: 1, limit: 8 });

    // A seeded canceled one-on-one: its one invitee canceled, so 1 in total and none active.
    const res = await call(
      t.access_token,
      `/scheduled_events?${q({ user: t.owner, status: "canceled", count: "1" })}`,
    );
    const [canceled] = ((await res.json()) as { collection: { invitees_counter: unknown }[] })
      .collection;
    expect(canceled?.invitees_counter).toMatchObject({ total: 1, active: 0 });
  });
});
