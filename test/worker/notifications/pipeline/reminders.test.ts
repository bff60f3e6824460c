/**
 * Reminder timing: a reminder whose time has passed when the session is booked is skipped, not
 * sent late; one booked in time goes out once when the cron first runs past its time; one the cron
 * reaches too late (its claim far past due) is skipped.
 */
import { describe, expect, it } from "vitest";
import { invitee, newCoach } from "../../helpers/invitee-envelopes";
import { mailbox, outboxRows, pipeline } from "./harness";

const NOW = new Date("2027-05-04T09:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);
const MIN = 60_000;
const calendly = (d: Date) => d.toISOString().replace(".000Z", ".000000Z");

async function bookAt(start: Date, tag: string) {
  const scope = await newCoach(tag);
  const p = pipeline(scope);
  await p.apply(
    invitee({
      event: "invitee.created",
      ev: `r-${scope.coachId}`,
      inv: "inv",
      updatedAt: calendly(NOW),
      start: calendly(start),
    }),
  );
  await p.react({ now: NOW });
  await p.flush(NOW);
  return { scope, p };
}

const reminders = async (coachId: string) =>
  (await outboxRows(coachId)).filter((r) => r.kind === "reminder");

describe("reminder timing", () => {
  it("skips the 60-minute reminder of a session booked 50 minutes out (and the 24-hour one)", async () => {
    const { scope, p } = await bookAt(at(50 * MIN), "rem50");
    expect(
      (await reminders(scope.coachId)).map((r) => [r.offsetMinutes, r.status, r.skipReason]),
    ).toEqual([
      [1440, "skipped", "too_late"],
      [60, "skipped", "too_late"],
    ]);
    expect(await p.tick(at(5 * MIN))).toEqual([]);
    expect((await mailbox(scope.coachId)).filter((m) => m.kind === "reminder")).toEqual([]);
  });

  it("sends the 60-minute reminder of a session booked 90 minutes out once, when the cron runs past its time", async () => {
    const { scope, p } = await bookAt(at(90 * MIN), "rem90");
    expect(await p.tick(at(25 * MIN))).toEqual([]); // not due yet
    expect(await p.tick(at(32 * MIN))).toEqual(["sent"]);
    expect(await p.tick(at(37 * MIN))).toEqual([]);
    expect(await p.tick(at(42 * MIN))).toEqual([]);
    const sent = (await mailbox(scope.coachId)).filter((m) => m.kind === "reminder");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe("sam@client.test");
    // A reminder is optional mail: it carries the one-click unsubscribe headers (RFC 8058).
    expect(sent[0]?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const [day, hour] = await reminders(scope.coachId);
    expect([day?.status, day?.skipReason]).toEqual(["skipped", "too_late"]);
    expect(hour?.status).toBe("sent");
  });

  it("skips a reminder the cron reaches more than 15 minutes after its time (an outage), never sending it late", async () => {
    const { scope, p } = await bookAt(at(3 * 60 * MIN), "remlate");
    expect(await p.tick(at(2 * 60 * MIN + 20 * MIN))).toEqual(["skipped"]);
    const hour = (await reminders(scope.coachId)).find((r) => r.offsetMinutes === 60);
    expect([hour?.status, hour?.skipReason]).toEqual(["skipped", "too_late"]);
    expect((await mailbox(scope.coachId)).filter((m) => m.kind === "reminder")).toEqual([]);
  });
});
