import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { createDb } from "../../../worker/db/client";
import type { CookieJar } from "../helpers/cookies";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const API = "https://api.calendly.test";
type Page = {
  items: {
    id: string;
    name: string;
    startTime: string;
    status: string;
    location: { type: string; joinUrl?: string } | null;
    invitees: {
      email: string;
      rescheduledToSessionId?: string;
      rescheduledFromSessionId?: string;
    }[];
  }[];
  nextCursor: string | null;
};

function booking(
  i: number,
  o: { email?: string; day?: number; event?: string; extra?: object } = {},
) {
  const start = new Date(Date.UTC(2026, 11, o.day ?? i, 15)).toISOString();
  return {
    event: o.event ?? "invitee.created",
    created_at: start,
    payload: {
      uri: `${API}/scheduled_events/s${i}/invitees/i${i}`,
      email: o.email ?? `client${i}@client.test`,
      name: `Client ${i}`,
      status: o.event === "invitee.canceled" ? "canceled" : "active",
      updated_at: new Date(Date.UTC(2026, 10, 1, i)).toISOString(),
      ...o.extra,
      scheduled_event: {
        uri: `${API}/scheduled_events/s${i}`,
        name: i % 2 ? "Intro Call" : "Coaching Session",
        status: o.event === "invitee.canceled" ? "canceled" : "active",
        start_time: start,
        end_time: start,
        event_type: `${API}/event_types/${i % 2 ? "intro" : "coaching"}`,
        location: { type: "zoom_conference", join_url: `https://zoom.test/j/${i}` },
      },
    },
  };
}

describe("/api/sessions", () => {
  let danaJar: CookieJar;
  let leeJar: CookieJar;

  beforeAll(async () => {
    server.use(...fakeCalendly([dana, lee]));
    danaJar = (await signInWithCode(`code-${dana.token}`)).jar;
    leeJar = (await signInWithCode(`code-${lee.token}`)).jar;
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind(dana.email)
      .first<{ id: string }>();
    const scope = { db: createDb(env.DB), coachId: coach?.id ?? "" };
    for (let i = 1; i <= 5; i++) await applyCalendlyEvent(scope, booking(i));
    // Session 6 is a reschedule of session 5 (old invitee canceled, new one created).
    await applyCalendlyEvent(
      scope,
      booking(5, {
        event: "invitee.canceled",
        extra: {
          rescheduled: true,
          new_invitee: `${API}/scheduled_events/s6/invitees/i6`,
          updated_at: "2026-11-02T00:00:00Z",
        },
      }),
    );
    await applyCalendlyEvent(
      scope,
      booking(6, {
        email: "client5@client.test",
        extra: { old_invitee: `${API}/scheduled_events/s5/invitees/i5` },
      }),
    );
  });

  const page = async (jar: CookieJar, query: string) => {
    const res = await api(jar, `/api/sessions${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  };

  it("pages through every session in start order with a cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const p: Page = await page(
        danaJar,
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...p.items.map((s) => s.startTime));
      cursor = p.nextCursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect([...seen].sort()).toEqual(seen);
  });

  it("pages newest first with order=desc, every session exactly once, for any page size", async () => {
    for (const limit of [1, 2, 4, 100]) {
      const ids: string[] = [];
      const starts: string[] = [];
      let cursor: string | null = "";
      while (cursor !== null) {
        const p: Page = await page(
          danaJar,
          `?order=desc&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        ids.push(...p.items.map((s) => s.id));
        starts.push(...p.items.map((s) => s.startTime));
        cursor = p.nextCursor;
      }
      expect(new Set(ids).size).toBe(6);
      expect(ids).toHaveLength(6);
      expect([...starts].sort().reverse()).toEqual(starts);
    }
  });

  it("filters by status, time window, event type and client", async () => {
    expect((await page(danaJar, "?status=canceled")).items.map((s) => s.status)).toEqual([
      "canceled",
    ]);
    const window = await page(danaJar, "?from=2026-12-02T00:00:00Z&to=2026-12-04T00:00:00Z");
    expect(window.items).toHaveLength(2);
    const intro = await page(
      danaJar,
      `?eventType=${encodeURIComponent(`${API}/event_types/intro`)}`,
    );
    expect(intro.items.every((s) => s.name === "Intro Call")).toBe(true);
    const client = await page(danaJar, "?q=client3@");
    expect(client.items.map((s) => s.invitees[0]?.email)).toEqual(["client3@client.test"]);
  });

  it("links both halves of a reschedule by session id", async () => {
    const all = await page(danaJar, "?limit=100");
    const old = all.items.find((s) => s.invitees[0]?.rescheduledToSessionId);
    const moved = all.items.find((s) => s.invitees[0]?.rescheduledFromSessionId);
    expect(old?.status).toBe("canceled");
    expect(old?.invitees[0]?.rescheduledToSessionId).toBe(moved?.id);
    expect(moved?.invitees[0]?.rescheduledFromSessionId).toBe(old?.id);
    expect(moved?.location).toEqual({ type: "zoom_conference", joinUrl: "https://zoom.test/j/6" });
  });

  it("returns one session by id, and never another coach's", async () => {
    const first = (await page(danaJar, "?limit=1")).items[0];
    const res = await api(danaJar, `/api/sessions/${first?.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(first?.id);
    const stolen = await api(leeJar, `/api/sessions/${first?.id}`);
    expect(stolen.status).toBe(404);
    expect((await page(leeJar, "")).items).toEqual([]);
  });

  it("rejects bad filters with a 400 naming them", async () => {
    const res = await api(danaJar, "/api/sessions?limit=0&from=yesterday");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { field: string }[] } };
    expect(body.error.details.map((d) => d.field).sort()).toEqual(["from", "limit"]);
  });
});
