/**
 * A filter the fake Calendly cannot read is a 400 "Invalid Argument" naming the parameter, as on
 * Calendly: never a 200 with the filter ignored (all sessions) or an empty list ("no sessions").
 */
import { describe, expect, it } from "vitest";
import { errorBodyErrors } from "../../helpers/calendly-openapi";
import { call, tokensFor } from "../../helpers/sandbox-calendly";

const DAY = 86_400_000;
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const iso = (ms: number) => new Date(ms).toISOString();

async function expectInvalid(token: string, path: string, parameters: string[]) {
  const res = await call(token, path);
  expect(res.status, path).toBe(400);
  const body = (await res.json()) as { details: { parameter: string }[] };
  expect(body, path).toEqual({
    title: "Invalid Argument",
    message: "The supplied parameters are invalid.",
    details: parameters.map((parameter) => ({ parameter, message: expect.any(String) })),
  });
  expect(errorBodyErrors(body)).toEqual([]);
}

describe("the fake Calendly refuses filters it cannot read", () => {
  it("scheduled_events: status, sort, times, email, count and page_token", async () => {
    const t = await tokensFor("dana@coach.test");
    const list = (extra: Record<string, string>) =>
      `/scheduled_events?${q({ user: t.owner, ...extra })}`;
    for (const [name, value] of [
      ["status", "bogus"],
      ["sort", "name:asc"],
      ["sort", "start_time:up"],
      ["min_start_time", "garbage"],
      ["max_start_time", "12/03/2026"],
      ["invitee_email", "not-an-email"],
      ["count", "0"],
      ["page_token", "garbage"],
      ["organization", "nope"],
    ] as const) {
      await expectInvalid(t.access_token, list({ [name]: value }), [name]);
    }
    // Every bad parameter is named, not just the first.
    await expectInvalid(t.access_token, list({ status: "bogus", sort: "name:asc" }), [
      "status",
      "sort",
    ]);
    await expectInvalid(
      t.access_token,
      list({ min_start_time: iso(Date.now()), max_start_time: iso(Date.now() - DAY) }),
      ["max_start_time"],
    );
  });

  it("scheduled_events still answers what Calendly documents", async () => {
    const t = await tokensFor("dana@coach.test");
    const res = await call(
      t.access_token,
      `/scheduled_events?${q({
        user: t.owner,
        status: "canceled",
        sort: "start_time:desc",
        min_start_time: "2020-01-02T03:04:05.678123Z",
        max_start_time: iso(Date.now() + 400 * DAY),
        count: "100",
      })}`,
    );
    expect(res.status).toBe(200);
    const { collection } = (await res.json()) as {
      collection: { status: string; start_time: string }[];
    };
    expect(collection.length).toBeGreaterThan(0);
    expect(new Set(collection.map((e) => e.status))).toEqual(new Set(["canceled"]));
    const starts = collection.map((e) => e.start_time);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it("invitees: status, email, sort and page_token", async () => {
    const t = await tokensFor("dana@coach.test");
    const path = "/scheduled_events/dana-reyes-ev-000/invitees";
    for (const [name, value] of [
      ["status", "no_show"],
      ["email", "x"],
      ["sort", "start_time:asc"],
      ["page_token", "garbage"],
    ] as const) {
      await expectInvalid(t.access_token, `${path}?${q({ [name]: value })}`, [name]);
    }
    expect((await call(t.access_token, `${path}?${q({ sort: "created_at:desc" })}`)).status).toBe(
      200,
    );
  });

  it("event_types: active, admin_managed, sort and page_token; active=false leaves out active types", async () => {
    const t = await tokensFor("dana@coach.test");
    const list = (extra: Record<string, string>) =>
      `/event_types?${q({ user: t.owner, ...extra })}`;
    for (const [name, value] of [
      ["active", "yes"],
      ["admin_managed", "1"],
      ["sort", "start_time:asc"],
      ["page_token", "garbage"],
    ] as const) {
      await expectInvalid(t.access_token, list({ [name]: value }), [name]);
    }
    const names = async (extra: Record<string, string>) => {
      const res = await call(t.access_token, list(extra));
      expect(res.status).toBe(200);
      return ((await res.json()) as { collection: { name: string }[] }).collection.map(
        (e) => e.name,
      );
    };
    expect(await names({ active: "false" })).toEqual([]);
    // Calendly's default order is name:asc.
    const all = await names({});
    expect(all).toEqual([...all].sort());
    expect(await names({ sort: "name:desc" })).toEqual([...all].reverse());
  });

  it("webhook_subscriptions, availability schedules, available and busy times", async () => {
    const t = await tokensFor("dana@coach.test");
    const subs = (extra: Record<string, string>) =>
      `/webhook_subscriptions?${q({ organization: t.organization, ...extra })}`;
    await expectInvalid(t.access_token, subs({ scope: "group" }), ["scope"]);
    await expectInvalid(t.access_token, subs({ scope: "user" }), ["user"]);
    await expectInvalid(t.access_token, subs({ scope: "user", user: t.owner, sort: "url:asc" }), [
      "sort",
    ]);
    await expectInvalid(
      t.access_token,
      subs({ scope: "user", user: t.owner, page_token: "garbage" }),
      ["page_token"],
    );
    await expectInvalid(t.access_token, "/user_availability_schedules", ["user"]);
    await expectInvalid(
      t.access_token,
      `/event_type_available_times?${q({
        event_type: "http://kairos.test/sandbox/calendly/event_types/dana-reyes-intro-call",
        start_time: "tomorrow",
        end_time: iso(Date.now() + 2 * DAY),
      })}`,
      ["start_time"],
    );
    await expectInvalid(
      t.access_token,
      `/user_busy_times?${q({ user: t.owner, start_time: "garbage" })}`,
      ["start_time", "end_time"],
    );
  });
});
