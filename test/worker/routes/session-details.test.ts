/**
 * What Calendly tells us about a booking beyond its time: the client's answers, utm tags, payment
 * and reschedule link — stored from webhooks, shown in the session detail — and sorting the list by
 * when the client booked.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { createDb } from "../../../worker/db/client";
import type { CookieJar } from "../helpers/cookies";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const API = "https://api.calendly.test";
const FOCUS = "What would you like to focus on?";
const AREAS = "Which areas apply?";

type Invitee = {
  id: string;
  email: string;
  tracking: Record<string, string>;
  rescheduleUrl?: string;
  payment: {
    provider: string | null;
    amount: number | null;
    currency: string | null;
    successful: boolean | null;
  } | null;
};
type Session = { id: string; calendlyUri: string; invitees: Invitee[] };
type Page = { items: Session[]; nextCursor: string | null };

/** Booking n: starts on day n of December, booked (created) on day (10 - n) of November. */
function booking(n: number, payload: object = {}, event = "invitee.created") {
  const start = new Date(Date.UTC(2026, 11, n, 15)).toISOString();
  return {
    event,
    created_at: start,
    payload: {
      uri: `${API}/scheduled_events/d${n}/invitees/d${n}`,
      email: `detail${n}@client.test`,
      name: `Detail ${n}`,
      status: "active",
      updated_at: new Date(Date.UTC(2026, 10, 20, n)).toISOString(),
      ...payload,
      scheduled_event: {
        uri: `${API}/scheduled_events/d${n}`,
        name: "Coaching Session",
        status: "active",
        start_time: start,
        end_time: start,
        event_type: `${API}/event_types/coaching`,
        created_at: new Date(Date.UTC(2026, 10, 10 - n, 9)).toISOString(),
      },
    },
  };
}

describe("session details from Calendly", () => {
  let danaJar: CookieJar;
  let leeJar: CookieJar;
  let scope: Parameters<typeof applyCalendlyEvent>[0];

  beforeAll(async () => {
    server.use(...fakeCalendly([dana, lee]));
    danaJar = (await signInWithCode(`code-${dana.token}`)).jar;
    leeJar = (await signInWithCode(`code-${lee.token}`)).jar;
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind(dana.email)
      .first<{ id: string }>();
    scope = { db: createDb(env.DB), coachId: coach?.id ?? "" };
    await applyCalendlyEvent(
      scope,
      booking(1, {
        questions_and_answers: [
          { question: AREAS, answer: "Leadership\nCommunication", position: 1 },
          { question: FOCUS, answer: "Preparing for a promotion", position: 0 },
        ],
        tracking: {
          utm_source: "newsletter",
          utm_campaign: "spring",
          utm_medium: null,
          salesforce_uuid: null,
        },
        payment: {
          external_id: "pi_1",
          provider: "stripe",
          amount: 150,
          currency: "USD",
          terms: "Paid in full.",
          successful: true,
        },
        reschedule_url: "https://calendly.com/reschedulings/d1",
      }),
    );
    // A later delivery without the optional fields (e.g. a no-show) keeps what we know.
    await applyCalendlyEvent(
      scope,
      booking(
        1,
        {
          updated_at: "2026-11-25T00:00:00Z",
          no_show: { uri: `${API}/invitee_no_shows/ns1` },
        },
        "invitee_no_show.created",
      ),
    );
    for (const n of [2, 3, 4, 5]) {
      await applyCalendlyEvent(scope, booking(n, { tracking: { utm_source: "site" } }));
    }
  });

  const page = async (jar: CookieJar, query: string) => {
    const res = await api(jar, `/api/sessions${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  };
  const sessionOf = async (n: number) => {
    const all = await page(danaJar, "?limit=100");
    const s = all.items.find((x) => x.calendlyUri === `${API}/scheduled_events/d${n}`);
    if (!s) throw new Error(`session d${n} missing`);
    return s;
  };

  it("shows payment, utm tags and the reschedule link in the session", async () => {
    const s = await sessionOf(1);
    const res = await api(danaJar, `/api/sessions/${s.id}`);
    const one = (await res.json()) as Session;
    expect(one.invitees[0]).toMatchObject({
      tracking: { utm_source: "newsletter", utm_campaign: "spring" },
      rescheduleUrl: "https://calendly.com/reschedulings/d1",
      payment: { provider: "stripe", amount: 150, currency: "USD", successful: true },
    });
    expect((await sessionOf(2)).invitees[0]?.payment).toBeNull();
  });

  it("lists the client's answers from Calendly in question order", async () => {
    const s = await sessionOf(1);
    const res = await api(danaJar, `/api/sessions/${s.id}/history`);
    const body = (await res.json()) as {
      answers: { inviteeId: string; question: string; answer: string }[];
    };
    expect(body.answers).toEqual([
      { inviteeId: s.invitees[0]?.id, question: FOCUS, answer: "Preparing for a promotion" },
      { inviteeId: s.invitees[0]?.id, question: AREAS, answer: "Leadership\nCommunication" },
    ]);
    expect((await api(leeJar, `/api/sessions/${s.id}/history`)).status).toBe(404);
  });

  it("filters by the utm_source Calendly recorded", async () => {
    const news = await page(danaJar, "?utmSource=newsletter");
    expect(news.items.map((s) => s.calendlyUri)).toEqual([`${API}/scheduled_events/d1`]);
    expect((await page(danaJar, "?utmSource=site")).items).toHaveLength(4);
    expect((await page(leeJar, "?utmSource=site")).items).toHaveLength(0);
  });

  it("sorts by when the client booked, every session exactly once for any page size", async () => {
    for (const order of ["asc", "desc"] as const) {
      for (const limit of [1, 2, 3, 100]) {
        const seen: string[] = [];
        let cursor: string | null = "";
        while (cursor !== null) {
          const p: Page = await page(
            danaJar,
            `?sort=booked&order=${order}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          );
          seen.push(...p.items.map((s) => s.calendlyUri.split("/").at(-1) ?? ""));
          cursor = p.nextCursor;
        }
        // Booked on Nov 9, 8, 7, 6, 5 for d1…d5: newest booking first is d1.
        const newestFirst = ["d1", "d2", "d3", "d4", "d5"];
        expect(seen).toEqual(order === "desc" ? newestFirst : newestFirst.toReversed());
      }
    }
  });

  it("refuses a cursor from another sort order with a 400", async () => {
    const first = await page(danaJar, "?limit=1");
    const res = await api(
      danaJar,
      `/api/sessions?sort=booked&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { field: string }[] } };
    expect(body.error.details[0]?.field).toBe("cursor");
    const flipped = await api(
      danaJar,
      `/api/sessions?order=desc&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
    );
    expect(flipped.status).toBe(400);
  });

  // Last: it adds a session the ordering checks above do not expect.
  it("keeps a booking whose answers or payment come in an unexpected shape", async () => {
    await applyCalendlyEvent(
      scope,
      booking(9, {
        questions_and_answers: [{ question: "Q", answer: ["not", "a", "string"] }],
        tracking: "nope",
        payment: { amount: "150.00" },
      }),
    );
    const s = await sessionOf(9);
    expect(s.invitees[0]).toMatchObject({ tracking: {}, payment: null });
  });
});
