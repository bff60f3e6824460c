import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { syncNextPage } from "../../../worker/bookings/reconcile";
import { createDb } from "../../../worker/db/client";
import { getSyncRun } from "../../../worker/db/sync-runs";
import { dana, type FakeEvent, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { syncWindow } from "../helpers/sync-run";
import { server } from "../setup";

const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function makeEvents(n: number, tag: string): FakeEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    uuid: `${tag}-ev-${i}`,
    start: soon(i + 1),
    status: "active" as const,
    invitees: [
      {
        uuid: `${tag}-inv-${i}`,
        email: `c${i}@client.test`,
        status: "active" as const,
        updatedAt: "2026-11-01T00:00:00Z",
      },
    ],
  }));
}

async function danaScope() {
  await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return { db: createDb(env.DB), coachId: coach?.id ?? "" };
}

async function runToEnd(scope: Awaited<ReturnType<typeof danaScope>>) {
  const runId = await syncWindow(scope, {
    start: new Date(Date.now() - 86_400_000),
    end: new Date(Date.now() + 365 * 86_400_000),
  });
  return getSyncRun(scope, runId);
}

const domainEvents = async (coachId: string) =>
  (
    await env.DB.prepare("select type from domain_events where coach_id = ? order by created_at")
      .bind(coachId)
      .all<{ type: string }>()
  ).results.map((r) => r.type);

describe("reconciliation", () => {
  it("imports every event across pages and records the run", async () => {
    const events = makeEvents(120, "imp");
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, events));
    const scope = await danaScope();
    const run = await runToEnd(scope);
    expect(run).toMatchObject({
      status: "done",
      pages: 3,
      recordsSeen: 120,
      recordsFixed: 120,
      cursor: null,
    });
    const sessions = await env.DB.prepare("select count(*) as n from sessions where coach_id = ?")
      .bind(scope.coachId)
      .first<{ n: number }>();
    expect(sessions?.n).toBe(120);
    expect((await domainEvents(scope.coachId)).filter((t) => t === "booking.created")).toHaveLength(
      120,
    );
  });

  it("repairs what lost webhooks missed, once, and then finds nothing to fix", async () => {
    const events = makeEvents(3, "rep");
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, events));
    const scope = await danaScope();
    await runToEnd(scope);
    const before = await domainEvents(scope.coachId);

    // Calendly changed while its webhooks were lost: a cancellation and a no-show.
    const [first, second] = events;
    if (!first?.invitees[0] || !second?.invitees[0]) throw new Error("fixture");
    first.status = "canceled";
    first.invitees[0] = {
      ...first.invitees[0],
      status: "canceled",
      updatedAt: "2026-11-02T00:00:00Z",
    };
    second.invitees[0] = {
      ...second.invitees[0],
      updatedAt: "2026-11-02T00:00:00Z",
      noShow: "https://api.calendly.test/invitee_no_shows/ns-1",
    };

    const repaired = await runToEnd(scope);
    expect(repaired).toMatchObject({ status: "done", recordsSeen: 3, recordsFixed: 2 });
    expect((await domainEvents(scope.coachId)).slice(before.length).sort()).toEqual([
      "booking.canceled",
      "invitee.no_show_marked",
    ]);

    const again = await runToEnd(scope);
    expect(again).toMatchObject({ recordsFixed: 0 });
    expect((await domainEvents(scope.coachId)).length).toBe(before.length + 2);
  });

  it("cancels extra sessions Calendly no longer lists, once", async () => {
    const events = makeEvents(3, "extra");
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, events));
    const scope = await danaScope();
    await runToEnd(scope);
    const before = await domainEvents(scope.coachId);
    events.splice(1, 1); // gone from Calendly (e.g. deleted by a data-deletion request)

    const run = await runToEnd(scope);
    expect(run).toMatchObject({ status: "done", recordsSeen: 2, recordsFixed: 1 });
    const gone = await env.DB.prepare(
      "select status, cancel_reason from sessions where calendly_uri like ?",
    )
      .bind("%extra-ev-1")
      .first();
    expect(gone).toEqual({ status: "canceled", cancel_reason: "No longer listed in Calendly" });
    expect((await domainEvents(scope.coachId)).slice(before.length)).toEqual(["booking.canceled"]);

    expect(await runToEnd(scope)).toMatchObject({ recordsFixed: 0 });
    expect((await domainEvents(scope.coachId)).length).toBe(before.length + 1);
  });
});
