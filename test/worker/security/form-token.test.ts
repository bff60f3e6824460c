/**
 * A form token books once: once a submit with it passes every check, it is spent on that booking
 * (coach, event type, start, email, weeks), atomically in D1 even under concurrency. Only the very
 * same booking asked again (a retry after a lost answer, a double click) still goes through, and
 * the booking intents answer it with the one booking; anything else is a clear 400.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkFormToken, issueFormToken } from "../../../worker/public-booking/tokens";
import {
  bookingBody,
  intentCount,
  openSlots,
  postBooking,
  readyCoach,
} from "../helpers/public-booking";

type Failure = { error: { code: string; details: { field: string; message: string }[] } };

describe("the booking form token", () => {
  it("is refused for a second client once it booked for the first", async () => {
    await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call");
    const formToken = await issueFormToken(env.SESSION_SECRET, Date.now() - 10_000);
    const first = await postBooking(
      await bookingBody({ startTime: slots[1], email: "first@client.test", formToken }),
    );
    expect(first.status).toBe(201);

    const before = await intentCount();
    const replay = await postBooking(
      await bookingBody({
        startTime: slots[4],
        email: "someone.else@client.test",
        name: "Someone Else",
        formToken,
      }),
    );
    expect(replay.status).toBe(400);
    const error = ((await replay.json()) as Failure).error;
    expect(error.details.map((d) => d.field)).toEqual(["formToken"]);
    expect(error.details[0]?.message).toMatch(/already used/);
    expect(await intentCount()).toBe(before);
  });

  it("is refused for the same client's second booking (another slot)", async () => {
    await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call");
    const formToken = await issueFormToken(env.SESSION_SECRET, Date.now() - 10_000);
    const body = { email: "Same.Client@client.test", formToken };
    expect((await postBooking(await bookingBody({ ...body, startTime: slots[12] }))).status).toBe(
      201,
    );
    const again = await postBooking(
      await bookingBody({ ...body, email: "same.client@client.test", startTime: slots[13] }),
    );
    expect(again.status).toBe(400);
    const error = ((await again.json()) as Failure).error;
    expect(error.details.map((d) => d.field)).toEqual(["formToken"]);
  });

  it("still answers the very same booking asked again with the one booking", async () => {
    await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call");
    const body = await bookingBody({ startTime: slots[10], email: "retry@client.test" });
    const first = await postBooking(body);
    expect(first.status).toBe(201);
    const retry = await postBooking({ ...body, email: "Retry@Client.test" });
    expect(retry.status).toBe(201);
    const id = async (r: Response) => ((await r.json()) as { booking: { id: string } }).booking.id;
    expect(await id(retry)).toBe(await id(first));
  });

  it("books once when different requests race with one token", async () => {
    await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call");
    const formToken = await issueFormToken(env.SESSION_SECRET, Date.now() - 10_000);
    const before = await intentCount();
    const answers = await Promise.all(
      [20, 21, 22, 23, 24, 25].map(async (n) =>
        postBooking(
          await bookingBody({ startTime: slots[n], email: `racer${n}@client.test`, formToken }),
        ),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400]);
    expect(await intentCount()).toBe(before + 1);
  });

  it("is not claimed by a submit that fails the spam checks", async () => {
    await readyCoach();
    const slots = await openSlots("dana-reyes", "intro-call");
    const formToken = await issueFormToken(env.SESSION_SECRET, Date.now() - 10_000);
    const junk = await postBooking(
      await bookingBody({
        startTime: slots[15],
        email: "bot@junk.test",
        turnstileToken: "fail",
        formToken,
      }),
    );
    expect(junk.status).toBe(400);
    const real = await postBooking(
      await bookingBody({ startTime: slots[15], email: "real@client.test", formToken }),
    );
    expect(real.status).toBe(201);
  });

  it("carries a nonce: two forms served in the same millisecond get different tokens", async () => {
    const now = Date.now() - 10_000;
    const [a, b] = await Promise.all([
      issueFormToken(env.SESSION_SECRET, now),
      issueFormToken(env.SESSION_SECRET, now),
    ]);
    expect(a).not.toBe(b);
    expect(await checkFormToken(env.SESSION_SECRET, a)).toBe("ok");
    const [issued, , mac] = a.split(".");
    expect(await checkFormToken(env.SESSION_SECRET, `${issued}.${mac}`)).toBe("invalid");
  });
});
