import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../worker/db/client";
import { getSyncRun } from "../../../worker/db/sync-runs";
import { dana, type FakeEvent, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { domainEvents } from "../helpers/invitee-envelopes";
import { signInWithCode } from "../helpers/sign-in";
import { syncWindow } from "../helpers/sync-run";
import { server } from "../setup";

const BASE = "http://kairos.test/sandbox/calendly";
const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const inviteeUri = (ev: string, inv: string) => `${BASE}/scheduled_events/${ev}/invitees/${inv}`;

async function danaScope() {
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return { db: createDb(env.DB), coachId: coach?.id ?? "" };
}

async function reconcile(scope: Awaited<ReturnType<typeof danaScope>>) {
  const runId = await syncWindow(scope, {
    start: new Date(Date.now() - 86_400_000),
    end: new Date(Date.now() + 365 * 86_400_000),
  });
  return getSyncRun(scope, runId);
}

describe("reconcile repairs", () => {
  it("turns a reschedule whose webhooks were both lost into one move", async () => {
    const a: FakeEvent = {
      uuid: "move-a",
      start: soon(3),
      status: "active",
      invitees: [
        {
          uuid: "ia",
          email: "mo@client.test",
          status: "active",
          updatedAt: "2026-11-01T00:00:00Z",
        },
      ],
    };
    const events = [a];
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, events));
    const scope = await danaScope();
    await reconcile(scope);
    const before = (await domainEvents(scope.coachId)).length;

    // At Calendly: the client moved the booking to a new event; neither webhook arrived.
    a.status = "canceled";
    a.invitees[0] = {
      uuid: "ia",
      email: "mo@client.test",
      status: "canceled",
      updatedAt: "2026-11-02T00:00:00Z",
      newInvitee: inviteeUri("move-b", "ib"),
    };
    events.push({
      uuid: "move-b",
      start: soon(5),
      status: "active",
      invitees: [
        {
          uuid: "ib",
          email: "mo@client.test",
          status: "active",
          updatedAt: "2026-11-02T00:00:00Z",
          oldInvitee: inviteeUri("move-a", "ia"),
        },
      ],
    });

    expect(await reconcile(scope)).toMatchObject({ status: "done", recordsFixed: 2 });
    const added = (await domainEvents(scope.coachId)).slice(before);
    expect(added.map((e) => e.type)).toEqual(["booking.rescheduled"]);
    expect(added[0]?.payload).toMatchObject({
      fromInviteeUri: inviteeUri("move-a", "ia"),
      toInviteeUri: inviteeUri("move-b", "ib"),
      fromStartTime: new Date(a.start).toISOString(),
      toStartTime: new Date(events[1]?.start ?? "").toISOString(),
    });

    expect(await reconcile(scope)).toMatchObject({ recordsFixed: 0 });
    expect(await domainEvents(scope.coachId)).toHaveLength(before + 1);
  });

  it("records a no-show clear whose webhook was lost", async () => {
    const e: FakeEvent = {
      uuid: "ns-clear",
      start: soon(2),
      status: "active",
      invitees: [
        {
          uuid: "inv",
          email: "ns@client.test",
          status: "active",
          updatedAt: "2026-11-01T00:00:00Z",
          noShow: `${BASE}/invitee_no_shows/ns-9`,
        },
      ],
    };
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, [e]));
    const scope = await danaScope();
    await reconcile(scope);
    const before = (await domainEvents(scope.coachId)).length;

    // Cleared at Calendly; the invitee's updated_at does not move for it.
    const { noShow: _, ...cleared } = e.invitees[0] ?? {
      uuid: "",
      email: "",
      status: "active" as const,
      updatedAt: "",
    };
    e.invitees[0] = cleared;

    expect(await reconcile(scope)).toMatchObject({ recordsFixed: 1 });
    const added = (await domainEvents(scope.coachId)).slice(before);
    expect(added.map((x) => [x.type, x.payload.noShowUri])).toEqual([
      ["invitee.no_show_cleared", `${BASE}/invitee_no_shows/ns-9`],
    ]);
    const row = await env.DB.prepare("select no_show_uri from invitees where calendly_uri = ?")
      .bind(inviteeUri("ns-clear", "inv"))
      .first();
    expect(row).toEqual({ no_show_uri: null });
    expect(await reconcile(scope)).toMatchObject({ recordsFixed: 0 });
    expect(await domainEvents(scope.coachId)).toHaveLength(before + 1);
  });
});
