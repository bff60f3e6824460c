/**
 * A coach's first import records booking events for every booking Kairos only now sees (90 days
 * back, a year ahead). None of them is news: no "your booking is confirmed", no cancellation
 * notice, no "new booking" mail to the coach. A booking that arrives by webhook now still sends both.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import {
  dana,
  type FakeEvent,
  fakeCalendly,
  fakeScheduledEvents,
} from "../../helpers/fake-calendly";
import { invitee } from "../../helpers/invitee-envelopes";
import { signInWithCode } from "../../helpers/sign-in";
import { syncWindow } from "../../helpers/sync-run";
import { server } from "../../setup";
import { mailbox, outboxRows, pipeline } from "./harness";

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const booking = (
  uuid: string,
  start: number,
  created: number,
  status: "active" | "canceled",
  changed: number,
): FakeEvent => ({
  uuid,
  start: at(start),
  status,
  createdAt: at(created),
  invitees: [{ uuid: `${uuid}-i`, email: `${uuid}@client.test`, status, updatedAt: at(changed) }],
});

const EVENTS = [
  booking("past-active", -30, -40, "active", -40),
  booking("future-old", 10, -20, "active", -20),
  booking("past-canceled", -20, -50, "canceled", -25),
  booking("future-canceled", 15, -30, "canceled", -5),
];

async function danaScope() {
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return { db: createDb(env.DB), coachId: coach?.id ?? "" };
}

const oneOffs = (rows: { kind: string }[]) => rows.filter((r) => r.kind !== "reminder");

describe("notifications after a first import", () => {
  it("sends no confirmation, cancellation or new-booking mail for imported bookings; a webhook booking still sends both", async () => {
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, EVENTS));
    const scope = await danaScope();
    await syncWindow(scope, {
      start: new Date(Date.now() - 90 * DAY),
      end: new Date(Date.now() + 365 * DAY),
    });
    const p = pipeline(scope);
    const types = (await p.events()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["booking.created", "booking.canceled"]));

    await p.react();
    await p.flush();
    expect(oneOffs(await outboxRows(scope.coachId))).toEqual([]);
    expect(oneOffs(await mailbox(scope.coachId))).toEqual([]);
    // The future imported session still gets its reminders (decided at send time).
    expect((await outboxRows(scope.coachId)).some((r) => r.kind === "reminder")).toBe(true);

    await p.apply(
      invitee({
        event: "invitee.created",
        ev: "fresh-ev",
        inv: "fresh",
        updatedAt: at(0),
        start: at(12),
      }),
    );
    await p.react();
    await p.flush();
    const sent = oneOffs(await mailbox(scope.coachId))
      .map((m) => m.kind)
      .sort();
    expect(sent).toEqual(["booking_confirmation", "coach_new_booking"]);
  });
});
