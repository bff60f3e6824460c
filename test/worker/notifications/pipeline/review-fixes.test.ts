/**
 * Resend refuses a message whose booking has moved or was canceled (it would repeat a wrong time);
 * the history of a session with more than 100 bookings reads in chunks (D1's parameter limit);
 * a send failure is logged by code, never by the provider's text (it can hold the address).
 */
import { describe, expect, it } from "vitest";
import { invitees, sessions } from "../../../../worker/db/schema";
import { AppError } from "../../../../worker/lib/errors";
import { errorCode } from "../../../../worker/notifications/consumer";
import { resendMessage, sessionMessages } from "../../../../worker/notifications/history";
import { listMessages } from "../../../../worker/notifications/outbox";
import { invitee, move, newCoach } from "../../helpers/invitee-envelopes";
import { outboxRows, pipeline } from "./harness";

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

async function confirmationId(coachId: string) {
  const row = (await outboxRows(coachId)).find((r) => r.kind === "booking_confirmation");
  if (!row) throw new Error("no confirmation");
  return row.id;
}

const conflict = (p: Promise<unknown>) =>
  expect(p).rejects.toSatisfy((e) => e instanceof AppError && e.code === "conflict");

describe("resend of a message whose booking changed", () => {
  it("resends while the booking stands, refuses with 409 once it moved", async () => {
    const scope = await newCoach("rsm");
    const p = pipeline(scope);
    await p.apply(
      invitee({
        event: "invitee.created",
        ev: "a-rsm",
        inv: "inv",
        updatedAt: at(0),
        start: at(5),
      }),
    );
    await p.react();
    await p.flush();
    const id = await confirmationId(scope.coachId);
    await expect(resendMessage(p.testEnv, scope, id)).resolves.toMatchObject({ resendOf: id });

    const m = move({ fromEv: "a-rsm", toEv: "b-rsm", at: at(0), fromStart: at(5), toStart: at(6) });
    await p.apply(m.canceledHalf, m.createdHalf);
    await p.react();
    await conflict(resendMessage(p.testEnv, scope, id));
  });

  it("refuses with 409 once the booking was canceled", async () => {
    const scope = await newCoach("rsc");
    const p = pipeline(scope);
    const start = at(5);
    await p.apply(
      invitee({ event: "invitee.created", ev: "a-rsc", inv: "inv", updatedAt: at(0), start }),
    );
    await p.react();
    await p.flush();
    const id = await confirmationId(scope.coachId);
    await p.apply(
      invitee({
        event: "invitee.canceled",
        ev: "a-rsc",
        inv: "inv",
        status: "canceled",
        updatedAt: at(0.01),
        start,
      }),
    );
    await p.react();
    await conflict(resendMessage(p.testEnv, scope, id));
  });
});

describe("history of a large group session", () => {
  it("lists the messages of a session with 120 bookings, each its own chain", async () => {
    const scope = await newCoach("big");
    const sid = `ses_${scope.coachId}`;
    const startsAt = new Date(Date.now() + 3 * DAY);
    await scope.db.insert(sessions).values({
      id: sid,
      coachId: scope.coachId,
      calendlyUri: `https://api.calendly.com/scheduled_events/${sid}`,
      name: "Group",
      status: "active",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      bookedAt: new Date(),
    });
    const rows = Array.from({ length: 120 }, (_, i) => ({
      id: `inv_${scope.coachId}_${i}`,
      chainId: `inv_${scope.coachId}_${i}`,
      coachId: scope.coachId,
      sessionId: sid,
      calendlyUri: `https://api.calendly.com/scheduled_events/${sid}/invitees/${i}`,
      email: `g${i}@client.test`,
      name: `G${i}`,
      status: "active" as const,
    }));
    for (let i = 0; i < rows.length; i += 5)
      await scope.db.insert(invitees).values(rows.slice(i, i + 5));
    await expect(sessionMessages(scope, sid)).resolves.toEqual([]);
    const ids = Array.from({ length: 150 }, (_, i) => `ses_none_${i}`);
    await expect(listMessages(scope, { sessionIds: [sid, ...ids] })).resolves.toEqual([]);
  });
});

describe("send failure logs", () => {
  it("carry the error's code and status, never its text", () => {
    const refused = new AppError("upstream_error", "Resend refused sam@client.test: bounced");
    const logged = JSON.stringify(errorCode(refused));
    expect(logged).not.toContain("sam@client.test");
    expect(errorCode(refused)).toEqual({
      errorCode: "upstream_error",
      errorStatus: refused.status,
    });
    expect(JSON.stringify(errorCode(new Error("to sam@client.test")))).not.toContain("sam@");
  });
});
