/**
 * Book → reschedule → cancel, end to end through the outbox transport and /dev/mailbox.json: one
 * confirmation (valid .ics) and one coach mail; one reschedule notice with the same UID and a higher
 * SEQUENCE, the old reminders revoked; one cancellation with METHOD:CANCEL. Replayed with every
 * delivery twice and in reverse order, the same messages go out exactly once.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { WebhookEnvelope } from "../../../../worker/calendly/webhook-envelope";
import { invitee, inviteeUri, move, newCoach } from "../../helpers/invitee-envelopes";
import { type MailItem, mailbox, outboxRows, pipeline } from "./harness";

const FAR = { a: "2027-03-10T15:00:00.000000Z", b: "2027-03-12T15:00:00.000000Z" };

function story(tag: string) {
  const booked = invitee({
    event: "invitee.created",
    ev: `a-${tag}`,
    inv: "inv",
    updatedAt: "2027-03-01T10:00:00.000000Z",
    start: FAR.a,
  });
  const m = move({
    fromEv: `a-${tag}`,
    toEv: `b-${tag}`,
    at: "2027-03-02T10:00:00.000000Z",
    fromStart: FAR.a,
    toStart: FAR.b,
  });
  const canceled = invitee({
    event: "invitee.canceled",
    ev: `b-${tag}`,
    inv: "inv",
    status: "canceled",
    updatedAt: "2027-03-03T10:00:00.000000Z",
    start: FAR.b,
    oldInvitee: inviteeUri(`a-${tag}`, "inv"),
  });
  return { booked, m, canceled };
}

function invite(item: MailItem) {
  const ics = item.attachments.find((a) => a.contentType.startsWith("text/calendar"));
  if (!ics) throw new Error(`${item.kind} has no .ics`);
  const cal = new ICAL.Component(ICAL.parse(ics.content));
  const event = cal.getFirstSubcomponent("vevent");
  if (!event) throw new Error("no VEVENT");
  return {
    method: String(cal.getFirstPropertyValue("method")),
    uid: String(event.getFirstPropertyValue("uid")),
    sequence: Number(event.getFirstPropertyValue("sequence") ?? 0),
    start: (event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString(),
  };
}

const kinds = (items: MailItem[]) => items.map((i) => `${i.kind}→${i.to}`).sort();

describe("notification pipeline: book, reschedule, cancel", () => {
  it("sends each notice once, with one UID and rising SEQUENCE, and never the old reminders", async () => {
    const scope = await newCoach("ntf");
    const p = pipeline(scope);
    const { booked, m, canceled } = story(scope.coachId);

    await p.apply(booked);
    await p.react();
    expect(await p.flush()).toEqual(["sent", "sent"]);
    let mail = await mailbox(scope.coachId);
    expect(kinds(mail)).toEqual([
      "booking_confirmation→sam@client.test",
      "coach_new_booking→c@coach.test",
    ]);
    const confirmation = invite(mail.find((i) => i.kind === "booking_confirmation") as MailItem);
    expect(confirmation).toMatchObject({ method: "REQUEST", sequence: 0 });
    expect(confirmation.start).toBe("2027-03-10T15:00:00.000Z");
    // Two reminders wait for the first session: 24 h and 1 h before.
    const first = (await outboxRows(scope.coachId)).filter((r) => r.kind === "reminder");
    expect(first.map((r) => [r.status, r.offsetMinutes])).toEqual([
      ["planned", 1440],
      ["planned", 60],
    ]);

    await p.apply(m.canceledHalf, m.createdHalf);
    await p.react();
    expect(await p.flush()).toEqual(["sent"]);
    mail = await mailbox(scope.coachId);
    const notice = mail.find((i) => i.kind === "reschedule_notice") as MailItem;
    const moved = invite(notice);
    expect(moved).toMatchObject({ method: "REQUEST", uid: confirmation.uid });
    expect(moved.sequence).toBeGreaterThan(confirmation.sequence);
    expect(moved.start).toBe("2027-03-12T15:00:00.000Z");
    const rows = await outboxRows(scope.coachId);
    expect(rows.filter((r) => first.some((f) => f.id === r.id)).map((r) => r.status)).toEqual([
      "revoked",
      "revoked",
    ]);
    expect(
      rows
        .filter((r) => r.kind === "reminder" && r.status === "planned")
        .map((r) => new Date(r.plannedStartAt ?? 0).toISOString()),
    ).toEqual(["2027-03-12T15:00:00.000Z", "2027-03-12T15:00:00.000Z"]);

    await p.apply(canceled);
    await p.react();
    expect(await p.flush()).toEqual(["sent", "sent"]);
    mail = await mailbox(scope.coachId);
    const cancel = invite(mail.find((i) => i.kind === "cancellation_notice") as MailItem);
    expect(cancel).toMatchObject({ method: "CANCEL", uid: confirmation.uid });
    expect(cancel.sequence).toBeGreaterThan(moved.sequence);
    expect(kinds(mail)).toEqual([
      "booking_confirmation→sam@client.test",
      "cancellation_notice→sam@client.test",
      "coach_cancellation→c@coach.test",
      "coach_new_booking→c@coach.test",
      "reschedule_notice→sam@client.test",
    ]);
    // No reminder is left to send, and a cron long after sends none.
    expect(
      (await outboxRows(scope.coachId)).filter(
        (r) => r.kind === "reminder" && r.status === "planned",
      ),
    ).toEqual([]);
    expect(await p.tick(new Date("2027-03-12T14:30:00Z"))).toEqual([]);
    expect((await mailbox(scope.coachId)).filter((i) => i.kind === "reminder")).toEqual([]);
  });

  /** What the in-order story sends (the first test checks it message by message). */
  const EXPECTED = [
    "booking_confirmation→sam@client.test",
    "cancellation_notice→sam@client.test",
    "coach_cancellation→c@coach.test",
    "coach_new_booking→c@coach.test",
    "reschedule_notice→sam@client.test",
  ];
  const modes: [string, (d: WebhookEnvelope[]) => WebhookEnvelope[]][] = [
    ["duplicate", (d) => d.flatMap((x) => [x, x])],
    ["out_of_order", (d) => [...d].reverse()],
  ];
  it.each(modes)("replayed in %s mode sends the same messages exactly once", async (_, mode) => {
    const scope = await newCoach("ntfr");
    const p = pipeline(scope);
    const { booked, m, canceled } = story(scope.coachId);
    // Each step's deliveries in the mode's order; each event reaches the reactor twice, reordered.
    for (const step of [[booked], [m.canceledHalf, m.createdHalf], [canceled]]) {
      for (const d of mode(step)) {
        await p.apply(d);
        await p.react({ order: (e) => [...e].reverse() });
      }
      await p.react({ replayAll: true, order: (e) => [...e].reverse() });
      await p.flush();
    }
    await p.tick(new Date("2027-03-12T14:30:00Z"));
    const mail = await mailbox(scope.coachId);
    expect(kinds(mail)).toEqual(EXPECTED);
    const cancel = invite(mail.find((i) => i.kind === "cancellation_notice") as MailItem);
    expect(cancel.method).toBe("CANCEL");
  });

  it("with the whole story reversed and doubled, sends nothing twice and no reminder at all", async () => {
    const scope = await newCoach("ntfx");
    const p = pipeline(scope);
    const { booked, m, canceled } = story(scope.coachId);
    for (const d of [canceled, m.createdHalf, m.canceledHalf, booked, canceled, booked]) {
      await p.apply(d);
      await p.react({ order: (e) => [...e].reverse() });
      await p.react({ replayAll: true });
      await p.flush();
    }
    await p.tick(new Date("2027-03-12T14:30:00Z"));
    const mail = kinds(await mailbox(scope.coachId));
    expect(new Set(mail).size).toBe(mail.length);
    // Already canceled when they came to be sent: the client is told once, that it is canceled.
    expect(mail).toEqual([
      "cancellation_notice→sam@client.test",
      "coach_cancellation→c@coach.test",
    ]);
  });
});
