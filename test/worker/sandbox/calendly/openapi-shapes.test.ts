/**
 * Every answer of the fake Calendly Kairos reads must validate against Calendly's own OpenAPI
 * document (test/fixtures/calendly-openapi/), and keep Calendly's six-digit timestamps.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import availableTimes from "../../../fixtures/calendly-api/event-type-available-times.json";
import eventType from "../../../fixtures/calendly-api/event-type-get.json";
import eventTypes from "../../../fixtures/calendly-api/event-types-list.json";
import event from "../../../fixtures/calendly-api/scheduled-event-get.json";
import invitee from "../../../fixtures/calendly-api/scheduled-event-invitee-get.json";
import invitees from "../../../fixtures/calendly-api/scheduled-event-invitees-list.json";
import events from "../../../fixtures/calendly-api/scheduled-events-list.json";
import busyTimes from "../../../fixtures/calendly-api/user-busy-times.json";
import me from "../../../fixtures/calendly-api/users-me.json";
import subscriptions from "../../../fixtures/calendly-api/webhook-subscriptions-list.json";
import { errorBodyErrors, openApiErrors } from "../../helpers/calendly-openapi";
import { CALENDLY, call, tokensFor } from "../../helpers/sandbox-calendly";

const DAY = 86_400_000;
type Item = Record<string, unknown> & { uri: string };
type List = { collection: Item[] };

async function get(token: string, path: string) {
  const res = await call(token, path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** Calendly writes `2026-12-03T10:00:00.000000Z`: every *_at / *_time string has six digits. */
function shortTimestamps(body: unknown, at = "#"): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => shortTimestamps(v, `${at}/${i}`));
  if (!body || typeof body !== "object") return [];
  return Object.entries(body).flatMap(([k, v]) =>
    typeof v === "string" && /(_at|_time)$/.test(k)
      ? /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(v)
        ? []
        : [`${at}/${k}: ${v}`]
      : shortTimestamps(v, `${at}/${k}`),
  );
}

function expectShape(path: string, body: unknown, status = "200", method = "get") {
  expect(openApiErrors(path, body, status, method), path).toEqual([]);
  expect(shortTimestamps(body), path).toEqual([]);
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const idOf = (uri: string) => uri.slice(uri.lastIndexOf("/") + 1);

describe("the fake Calendly's answers follow Calendly's OpenAPI document", () => {
  it("the validator itself refuses what the document refuses", () => {
    // Guards the test: a validator that accepted everything would make every check below pass.
    expect(openApiErrors("/users/me", { resource: { uri: "x" } }).length).toBeGreaterThan(0);
    expect(errorBodyErrors({ title: "Invalid Argument" }).length).toBeGreaterThan(0);
  });

  it("the validator accepts Calendly's own sample answers (it is not stricter than Calendly)", () => {
    for (const [path, sample] of [
      ["/users/me", me],
      ["/event_types", eventTypes],
      ["/event_types/{uuid}", eventType],
      ["/scheduled_events", events],
      ["/scheduled_events/{uuid}", event],
      ["/scheduled_events/{uuid}/invitees", invitees],
      ["/scheduled_events/{event_uuid}/invitees/{invitee_uuid}", invitee],
      ["/event_type_available_times", availableTimes],
      ["/user_busy_times", busyTimes],
      ["/webhook_subscriptions", subscriptions],
    ] as const) {
      expect(openApiErrors(path, sample), path).toEqual([]);
      expect(shortTimestamps(sample), path).toEqual([]);
    }
  });

  it("users, event types and availability", async () => {
    const t = await tokensFor("dana@coach.test");
    const me = await get(t.access_token, "/users/me");
    expectShape("/users/me", me);
    expectShape("/users/{uuid}", await get(t.access_token, `/users/${idOf(t.owner)}`));

    const types = (await get(t.access_token, `/event_types?${q({ user: t.owner })}`)) as List;
    expectShape("/event_types", types);
    expect(types.collection.map((e) => e.kind_description)).toContain("Group");
    for (const et of types.collection) {
      expectShape("/event_types/{uuid}", await get(t.access_token, `/event_types/${idOf(et.uri)}`));
    }

    const intro = types.collection.find((e) => e.slug === "intro-call");
    if (!intro) throw new Error("seed");
    const from = Date.now() + DAY;
    const times = await get(
      t.access_token,
      `/event_type_available_times?${q({
        event_type: intro.uri,
        start_time: new Date(from).toISOString(),
        end_time: new Date(from + 7 * DAY).toISOString(),
      })}`,
    );
    expect((times as List).collection.length).toBeGreaterThan(0);
    expectShape("/event_type_available_times", times);

    const busy = await get(
      t.access_token,
      `/user_busy_times?${q({
        user: t.owner,
        start_time: new Date(Date.now() + 60_000).toISOString(),
        end_time: new Date(Date.now() + 7 * DAY - 60_000).toISOString(),
      })}`,
    );
    const kinds = new Set((busy as List).collection.map((b) => b.type));
    expect(kinds).toEqual(new Set(["calendly", "external"]));
    expectShape("/user_busy_times", busy);

    expectShape(
      "/user_availability_schedules",
      await get(t.access_token, `/user_availability_schedules?${q({ user: t.owner })}`),
    );
  });

  it("scheduled events and invitees: past, canceled, rescheduled, no-show and just booked", async () => {
    const t = await tokensFor("dana@coach.test");
    const slots = (await (
      await exports.default.fetch(
        `${CALENDLY}/control/slots?${q({ coachEmail: "dana@coach.test", eventTypeSlug: "intro-call" })}`,
      )
    ).json()) as { slots: string[] };
    const booked = await exports.default.fetch(`${CALENDLY}/control/book`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        coachEmail: "dana@coach.test",
        eventTypeSlug: "intro-call",
        startTime: slots.slots[0],
        invitee: { email: "shape@client.test", name: "Shape Check" },
      }),
    });
    expect(booked.status).toBe(201);
    const fresh = (await booked.json()) as { event: string };

    const events: Item[] = [];
    let token = "";
    do {
      const page = await get(
        t.access_token,
        `/scheduled_events?${q({ user: t.owner, count: "100", ...(token ? { page_token: token } : {}) })}`,
      );
      expectShape("/scheduled_events", page);
      events.push(...(page as List).collection);
      token = (page.pagination as { next_page_token: string | null }).next_page_token ?? "";
    } while (token);

    // One-by-one reads of a few events of each kind (all of them would take seconds per call).
    const kinds = new Map<string, number>();
    const sample = events.filter((e) => {
      const kind = `${e.status}/${(e.location as { status: string }).status}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      return (kinds.get(kind) ?? 0) <= 3;
    });
    expect([...kinds.keys()].sort()).toEqual([
      "active/processing",
      "active/pushed",
      "canceled/pushed",
    ]);
    const seen = new Set<string>();
    for (const e of sample) {
      expectShape(
        "/scheduled_events/{uuid}",
        await get(t.access_token, `/scheduled_events/${idOf(e.uri)}`),
      );
      const invitees = await get(t.access_token, `/scheduled_events/${idOf(e.uri)}/invitees`);
      expectShape("/scheduled_events/{uuid}/invitees", invitees);
      for (const i of (invitees as List).collection) {
        const path = `/scheduled_events/${idOf(e.uri)}/invitees/${idOf(i.uri)}`;
        expectShape(
          "/scheduled_events/{event_uuid}/invitees/{invitee_uuid}",
          await get(t.access_token, path),
        );
        if (i.rescheduled) seen.add("rescheduled");
        const noShow = i.no_show as { uri: string } | null;
        if (noShow) {
          seen.add("no-show");
          expectShape(
            "/invitee_no_shows/{uuid}",
            await get(t.access_token, `/invitee_no_shows/${idOf(noShow.uri)}`),
          );
        }
      }
    }
    expect(seen).toEqual(new Set(["rescheduled", "no-show"]));
    expect(events.map((e) => e.uri)).toContain(fresh.event);
  });

  it("webhook subscriptions", async () => {
    const t = await tokensFor("lee@coach.test");
    const created = await call(t.access_token, "/webhook_subscriptions", {
      method: "POST",
      body: JSON.stringify({
        url: "https://hooks.shapes.test/calendly",
        events: ["invitee.created", "invitee.canceled"],
        organization: t.organization,
        user: t.owner,
        scope: "user",
      }),
    });
    expect(created.status).toBe(201);
    const sub = (await created.json()) as { resource: Item };
    expectShape("/webhook_subscriptions", sub, "201", "post");
    const list = await get(
      t.access_token,
      `/webhook_subscriptions?${q({ organization: t.organization, user: t.owner, scope: "user" })}`,
    );
    expect((list as List).collection.length).toBeGreaterThan(0);
    expectShape("/webhook_subscriptions", list);
    expectShape(
      "/webhook_subscriptions/{webhook_uuid}",
      await get(t.access_token, `/webhook_subscriptions/${idOf(sub.resource.uri)}`),
    );
  });

  it("error bodies", async () => {
    const dana = await tokensFor("dana@coach.test");
    const lee = await tokensFor("lee@coach.test");
    const answers = [
      await call(dana.access_token, `/event_types?${q({ user: dana.owner, count: "101" })}`),
      await call(lee.access_token, `/event_types?${q({ user: dana.owner })}`),
      await call(dana.access_token, "/scheduled_events/nope"),
      await call("nope", "/users/me"),
    ];
    expect(answers.map((r) => r.status)).toEqual([400, 403, 404, 401]);
    for (const r of answers) expect(errorBodyErrors(await r.json())).toEqual([]);
  });
});
