import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openSlots, readyCoach } from "../helpers/public-booking";
import { api } from "../helpers/sign-in";

type Schedule = {
  timeZone: string;
  rules: { type: string; wday?: string; intervals: { from: string; to: string }[] }[];
};

const put = (body: unknown) => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function introCall(coachId: string) {
  const row = await env.DB.prepare(
    "select id from event_types where coach_id = ? and slug in ('intro-call', 'discovery-call')",
  )
    .bind(coachId)
    .first<{ id: string }>();
  return row?.id ?? "";
}

describe("availability", () => {
  it("reads an event type's rules and saves new ones to Calendly; the new slots appear", async () => {
    const { jar, id: coachId } = await readyCoach();
    const id = await introCall(coachId);
    const res = await api(jar, `/api/event-types/${id}/schedule`);
    expect(res.status).toBe(200);
    const schedule = (await res.json()) as Schedule;
    expect(schedule.timeZone).toBe("America/New_York");
    expect(schedule.rules.some((r) => r.wday === "monday" && r.intervals.length > 0)).toBe(true);

    // Saturdays 08:00–09:30 (Dana is not available on Saturdays in the seed).
    const rules = [
      ...schedule.rules.filter((r) => r.wday !== "saturday"),
      { type: "wday", wday: "saturday", intervals: [{ from: "08:00", to: "09:30" }] },
    ];
    const saved = await api(
      jar,
      `/api/event-types/${id}/schedule`,
      put({ timeZone: schedule.timeZone, rules }),
    );
    expect(saved.status).toBe(200);
    const reread = (await (await api(jar, `/api/event-types/${id}/schedule`)).json()) as Schedule;
    expect(reread.rules.find((r) => r.wday === "saturday")?.intervals).toEqual([
      { from: "08:00", to: "09:30" },
    ]);

    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 15 * 86_400_000).toISOString();
    const slots = await api(jar, `/api/availability?eventType=${id}&from=${from}&to=${to}`);
    expect(slots.status).toBe(200);
    const body = (await slots.json()) as { slots: string[]; updatedAt: string };
    const saturday8 = body.slots.filter((s) => {
      const local = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        weekday: "long",
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
      }).format(new Date(s));
      return local.startsWith("Saturday") && /08:00|08:30|09:00/.test(local);
    });
    expect(saturday8.length).toBeGreaterThanOrEqual(2);
    expect(Date.parse(body.updatedAt)).toBeLessThanOrEqual(Date.now());
  });

  it("refuses overlapping or backwards blocks with field messages", async () => {
    const { jar, id: coachId } = await readyCoach();
    const id = await introCall(coachId);
    const overlap = await api(
      jar,
      `/api/event-types/${id}/schedule`,
      put({
        timeZone: "America/New_York",
        rules: [
          {
            type: "wday",
            wday: "monday",
            intervals: [
              { from: "09:00", to: "11:00" },
              { from: "10:00", to: "12:00" },
            ],
          },
        ],
      }),
    );
    expect(overlap.status).toBe(400);
    const backwards = await api(
      jar,
      `/api/event-types/${id}/schedule`,
      put({
        timeZone: "Mars/Olympus",
        rules: [{ type: "wday", wday: "monday", intervals: [{ from: "11:00", to: "09:00" }] }],
      }),
    );
    expect(backwards.status).toBe(400);
  });

  it("keeps coaches apart", async () => {
    const dana = await readyCoach();
    const lee = await readyCoach("lee@coach.test");
    const id = await introCall(dana.id);
    expect((await api(lee.jar, `/api/event-types/${id}/schedule`)).status).toBe(404);
    const from = new Date().toISOString();
    expect(
      (await api(lee.jar, `/api/availability?eventType=${id}&from=${from}&to=${from}`)).status,
    ).toBe(404);
  });
});

describe("event type insights", () => {
  it("reports weekly hours and this/next week's utilisation from Calendly's rules and the sessions", async () => {
    const { jar, id: coachId } = await readyCoach();
    const res = await api(jar, "/api/availability/insights");
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: {
        eventTypeId: string;
        weeklyHours: number;
        thisWeek: { bookedHours: number; availableHours: number; ratio: number | null };
        error: string | null;
      }[];
    };
    const id = await introCall(coachId);
    const intro = items.find((i) => i.eventTypeId === id);
    expect(intro?.error).toBeNull();
    expect(intro?.weeklyHours).toBeGreaterThan(0);
    expect(intro?.thisWeek.availableHours).toBeGreaterThan(0);
    if (intro?.thisWeek.ratio !== null && intro) {
      expect(intro.thisWeek.ratio).toBeCloseTo(
        intro.thisWeek.bookedHours / intro.thisWeek.availableHours,
        2,
      );
    }
  });
});

describe("busy times", () => {
  it("lists the coach's busy times for the week, external ones included, and keeps them out of slots", async () => {
    const { jar, id: coachId } = await readyCoach();
    const res = await api(jar, "/api/availability/busy");
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { type: string; start: string; end: string }[];
    };
    const external = items.filter((i) => i.type === "external");
    expect(external.length).toBeGreaterThanOrEqual(1);
    const fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/New_York",
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
    expect(fmt.format(new Date(external[0]?.start ?? ""))).toBe("Wednesday 10:30");

    // No slot of the event type starts inside the busy hour.
    const id = await introCall(coachId);
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const { slots } = (await (
      await api(jar, `/api/availability?eventType=${id}&from=${from}&to=${to}`)
    ).json()) as { slots: string[] };
    for (const b of external) {
      const inside = slots.filter(
        (s) =>
          Date.parse(s) < Date.parse(b.end) && Date.parse(s) + 30 * 60_000 > Date.parse(b.start),
      );
      expect(inside).toEqual([]);
    }
  });
});

describe("availability templates", () => {
  it("saves, lists, replaces by name and deletes a coach's templates; others never see them", async () => {
    const dana = await readyCoach();
    const lee = await readyCoach("lee@coach.test");
    const post = (jar: Parameters<typeof api>[0], body: unknown) =>
      api(jar, "/api/availability/templates", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const winter = [{ day: "monday", start: 540, end: 720 }];
    expect((await post(dana.jar, { name: "Winter", blocks: winter })).status).toBe(200);
    const replaced = [{ day: "tuesday", start: 600, end: 660 }];
    const again = (await (await post(dana.jar, { name: "Winter", blocks: replaced })).json()) as {
      id: string;
    };
    const list = (await (await api(dana.jar, "/api/availability/templates")).json()) as {
      items: { id: string; name: string; blocks: unknown[] }[];
    };
    expect(list.items).toEqual([{ id: again.id, name: "Winter", blocks: replaced }]);
    expect(
      ((await (await api(lee.jar, "/api/availability/templates")).json()) as { items: unknown[] })
        .items,
    ).toEqual([]);
    expect(
      (await api(lee.jar, `/api/availability/templates/${again.id}`, { method: "DELETE" })).status,
    ).toBe(404);
    expect((await post(dana.jar, { name: " ", blocks: [] })).status).toBe(400);
    expect(
      (await post(dana.jar, { name: "Bad", blocks: [{ day: "monday", start: 600, end: 540 }] }))
        .status,
    ).toBe(400);
    expect(
      (await api(dana.jar, `/api/availability/templates/${again.id}`, { method: "DELETE" })).status,
    ).toBe(200);
  });

  it("keeps a blocked date (an override with no hours) when weekly hours are saved", async () => {
    const { jar, id: coachId } = await readyCoach();
    const id = await introCall(coachId);
    const current = (await (await api(jar, `/api/event-types/${id}/schedule`)).json()) as Schedule;
    const day = new Date(Date.now() + 9 * 86_400_000);
    const date = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(day);
    const rules = [
      ...current.rules.filter((r) => r.type === "wday"),
      { type: "date", date, intervals: [] },
    ];
    expect(
      (
        await api(
          jar,
          `/api/event-types/${id}/schedule`,
          put({ timeZone: current.timeZone, rules }),
        )
      ).status,
    ).toBe(200);
    const from = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 11 * 86_400_000).toISOString();
    const { slots } = (await (
      await api(jar, `/api/availability?eventType=${id}&from=${from}&to=${to}`)
    ).json()) as { slots: string[] };
    const onThatDay = slots.filter(
      (s) =>
        new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date(s)) ===
        date,
    );
    expect(onThatDay).toEqual([]);
  });
});

describe("buffers", () => {
  it("saves buffers to Calendly; slots then keep that much time free around bookings", async () => {
    const { jar, id: coachId } = await readyCoach("lee@coach.test");
    const id = await introCall(coachId);
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const slots = async () =>
      (
        (await (
          await api(jar, `/api/availability?eventType=${id}&from=${from}&to=${to}`)
        ).json()) as {
          slots: string[];
        }
      ).slots;
    const before = await slots();
    const put = (body: unknown) =>
      api(jar, `/api/event-types/${id}/buffers`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await put({ before: 7, after: 0 })).status).toBe(400);
    expect((await put({ before: 60, after: 60 })).status).toBe(200);
    const types = (await (await api(jar, "/api/event-types")).json()) as {
      items: { id: string; beforeBuffer: number; afterBuffer: number; durationMinutes: number }[];
    };
    const length = (types.items.find((t) => t.id === id)?.durationMinutes ?? 0) * 60_000;
    expect(types.items.find((t) => t.id === id)).toMatchObject({
      beforeBuffer: 60,
      afterBuffer: 60,
    });

    const after = await slots();
    expect(after.length).toBeLessThanOrEqual(before.length);
    const busy = (await (await api(jar, "/api/availability/busy")).json()) as {
      items: { type: string; start: string; end: string }[];
    };
    const hour = 3_600_000;
    for (const b of busy.items.filter((i) => i.type === "calendly")) {
      for (const s of after) {
        const start = Date.parse(s);
        const clash =
          start < Date.parse(b.end) + hour && start + length + hour > Date.parse(b.start);
        expect(clash, `${s} is within an hour of a booking at ${b.start}`).toBe(false);
      }
    }
  });
});

describe("date overrides with special hours", () => {
  const NY = "America/New_York";
  const dateIn = (t: number | string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: NY }).format(new Date(t));
  const clockIn = (t: string) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone: NY,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(t));

  it("offers slots on that date only inside the override's hours; other days keep weekly hours", async () => {
    const { jar, id: coachId } = await readyCoach();
    const id = await introCall(coachId);
    // A Tuesday–Thursday two weeks out, so the days either side are weekdays with weekly hours.
    const day = Array.from({ length: 7 }, (_, i) => Date.now() + (12 + i) * 86_400_000).find((t) =>
      ["Tue", "Wed", "Thu"].includes(
        new Intl.DateTimeFormat("en-US", { timeZone: NY, weekday: "short" }).format(t),
      ),
    );
    const date = dateIn(day ?? 0);
    const weekly = [
      { from: "09:00", to: "12:00" },
      { from: "13:00", to: "17:00" },
    ];
    // Outside the weekly hours, so only the override can explain a slot there, and no booking
    // (the seed books within weekly hours) can hide one.
    const special = [
      { from: "07:00", to: "08:30" },
      { from: "18:00", to: "19:00" },
    ];
    const rules = [
      ...["monday", "tuesday", "wednesday", "thursday", "friday"].map((wday) => ({
        type: "wday",
        wday,
        intervals: weekly,
      })),
      { type: "date", date, intervals: special },
    ];
    const saved = await api(jar, `/api/event-types/${id}/schedule`, put({ timeZone: NY, rules }));
    expect(saved.status).toBe(200);
    const reread = (await (await api(jar, `/api/event-types/${id}/schedule`)).json()) as Schedule;
    expect(reread.rules).toContainEqual({ type: "date", date, intervals: special });

    const from = new Date((day ?? 0) - 2 * 86_400_000).toISOString();
    const to = new Date((day ?? 0) + 2 * 86_400_000).toISOString();
    const res = await api(jar, `/api/availability?eventType=${id}&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const { slots } = (await res.json()) as { slots: string[] };
    // 30-minute slots that fit: 07:00, 07:30, 08:00 and 18:00, 18:30 — none in weekly hours.
    expect(slots.filter((s) => dateIn(s) === date).map(clockIn)).toEqual([
      "07:00",
      "07:30",
      "08:00",
      "18:00",
      "18:30",
    ]);
    const others = slots.filter((s) => dateIn(s) !== date);
    expect(others.length).toBeGreaterThan(0);
    for (const s of others) {
      const clock = clockIn(s);
      expect(
        weekly.some((iv) => clock >= iv.from && clock < iv.to),
        `${s} (${clock}) is outside the weekly hours`,
      ).toBe(true);
    }

    // The public booking page reads the same slots.
    const publicSlots = await openSlots("dana-reyes", "intro-call", 21);
    expect(publicSlots.filter((s) => dateIn(s) === date).map(clockIn)).toEqual([
      "07:00",
      "07:30",
      "08:00",
      "18:00",
      "18:30",
    ]);
  });
});
