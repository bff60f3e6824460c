/**
 * The public booking API against the stricter fake Calendly: a slot taken at the last moment is
 * "slot taken" whether Calendly says 404 or 400, and Calendly's own `POST /invitees` limits reach the
 * widget as a clear 429 (a series stops at the limit instead of sending every week anyway).
 */
import { env, exports } from "cloudflare:workers";
import { http } from "msw";
import { describe, expect, it } from "vitest";
import { takeInviteeBudget } from "../../../worker/sandbox/calendly/plans";
import { sandboxDb } from "../../../worker/sandbox/calendly/store";
import {
  bookingBody,
  openSlots,
  postBooking,
  readyCoach,
  sandboxInvitees,
} from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";
import { server } from "../setup";

const CALENDLY = `${ORIGIN}/sandbox/calendly`;
const DANA = "dana-reyes-0001";
type Failure = {
  error: { code: string; message: string; details: { reason: string; slots?: string[] } };
};

const control = (path: string, body: unknown) =>
  exports.default.fetch(`${CALENDLY}/control/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const intentStatus = async (email: string) =>
  (
    await env.DB.prepare("select status from booking_intents where email = ?")
      .bind(email)
      .all<{ status: string }>()
  ).results.map((r) => r.status);

/** Another client books the same time just before Kairos's `POST /invitees` reaches Calendly. */
function raceForEachPost() {
  server.use(
    http.post(`${CALENDLY}/invitees`, async ({ request }) => {
      const body = (await request.clone().json()) as { start_time: string };
      await control("book", {
        coachEmail: "dana@coach.test",
        eventTypeSlug: "intro-call",
        startTime: body.start_time,
        invitee: { name: "Quick Rival", email: `rival.${Date.parse(body.start_time)}@client.test` },
      });
      return exports.default.fetch(request as Request);
    }),
  );
}

describe("a slot taken at Calendly's last moment", () => {
  it.each([404, 400])(
    "answers 409 slot_taken with fresh times when Calendly says %i",
    async (status) => {
      await readyCoach();
      expect((await control("scheduling", { slotTakenStatus: status })).status).toBe(200);
      const slots = await openSlots("dana-reyes", "intro-call");
      const slot = slots[status === 404 ? 2 : 5];
      raceForEachPost();
      const email = `late.${status}@client.test`;
      const res = await postBooking(await bookingBody({ startTime: slot, email }));
      expect(res.status).toBe(409);
      const { error } = (await res.json()) as Failure;
      expect(error.code).toBe("conflict");
      expect(error.details.reason).toBe("slot_taken");
      expect(error.details.slots?.length).toBeGreaterThan(0);
      expect(error.details.slots).not.toContain(slot);
      // The intent let go of the slot and nothing was booked for this client.
      expect(await intentStatus(email)).toEqual(["failed"]);
      expect(await sandboxInvitees(email)).toBe(0);
    },
  );
});

describe("Calendly's per-user POST /invitees limits", () => {
  it("a booking past the limit is a clear 429 for the widget, and the intent is released", async () => {
    await readyCoach();
    await control("plan", { coachEmail: "dana@coach.test", plan: "trial" });
    const db = sandboxDb(env);
    for (let i = 0; i < 5; i++) await takeInviteeBudget(db, DANA, "trial");
    const [slot] = await openSlots("dana-reyes", "coaching-session");
    const email = "over.limit@client.test";
    const res = await postBooking(
      await bookingBody({
        eventType: "coaching-session",
        startTime: slot,
        email,
        answers: { "What would you like to focus on in this session?": "Focus" },
      }),
    );
    expect(res.status).toBe(429);
    const { error } = (await res.json()) as Failure;
    expect(error.code).toBe("rate_limited");
    expect(error.details.reason).toBe("calendly_booking_limit");
    expect(error.message).toMatch(/try again/i);
    expect(await intentStatus(email)).toEqual(["failed"]);
    expect(await sandboxInvitees(email)).toBe(0);
    await control("plan", { coachEmail: "dana@coach.test", plan: "paid" });
  });

  it("a weekly series stops at the limit: booked weeks stand, the rest fail with the same advice", async () => {
    await readyCoach("lee@coach.test");
    await control("plan", { coachEmail: "lee@coach.test", plan: "trial" });
    // Trial: 5 a day. Three are spent already, so two weeks fit.
    const db = sandboxDb(env);
    for (let i = 0; i < 3; i++) await takeInviteeBudget(db, "lee-park-0002", "trial");
    const slots = await openSlots("lee-park", "discovery-call", 40);
    const start = slots.find((s) =>
      [1, 2, 3].every((w) =>
        slots.includes(new Date(Date.parse(s) + w * 7 * 86_400_000).toISOString()),
      ),
    );
    let posts = 0;
    server.use(
      http.post(`${CALENDLY}/invitees`, () => {
        posts++;
      }),
    );
    const res = await postBooking(
      await bookingBody({
        coach: "lee-park",
        eventType: "discovery-call",
        startTime: start,
        email: "paced@client.test",
        recurring: { weeks: 4 },
      }),
    );
    expect(res.status).toBe(201);
    const { series } = (await res.json()) as {
      series: { occurrences: { status: string; message: string | null }[] };
    };
    expect(series.occurrences.map((o) => o.status)).toEqual([
      "booked",
      "booked",
      "failed",
      "failed",
    ]);
    expect(series.occurrences[2]?.message).toMatch(/try again/i);
    expect(series.occurrences[3]?.message).toBe(series.occurrences[2]?.message);
    // The fourth week was never sent: Kairos stopped at the first refusal.
    expect(posts).toBe(3);
    expect(await sandboxInvitees("paced@client.test")).toBe(2);

    // With nothing left, the whole series is one clear 429.
    const none = await postBooking(
      await bookingBody({
        coach: "lee-park",
        eventType: "discovery-call",
        startTime: slots.at(-1),
        email: "paced.again@client.test",
        recurring: { weeks: 2 },
      }),
    );
    expect(none.status).toBe(429);
    expect(((await none.json()) as Failure).error.details.reason).toBe("calendly_booking_limit");
    await control("plan", { coachEmail: "lee@coach.test", plan: "paid" });
  });
});
