import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import type { WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";
import { createDb } from "../../../worker/db/client";

const API = "https://api.calendly.test";
let n = 0;

async function newCoach() {
  const id = `coa_apply_${++n}`;
  await env.DB.prepare(
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, 'C', 'c@coach.test', 'UTC', ?1)",
  )
    .bind(id, `${API}/users/${id}`)
    .run();
  return { db: createDb(env.DB), coachId: id };
}

function invitee(o: {
  event: string;
  ev: string;
  inv: string;
  status?: "active" | "canceled";
  updatedAt: string;
  start?: string;
  rescheduled?: boolean;
  oldInvitee?: string;
  newInvitee?: string;
  noShow?: string | null;
}): WebhookEnvelope {
  const start = o.start ?? "2026-12-10T15:00:00.000000Z";
  return {
    event: o.event,
    created_at: o.updatedAt,
    created_by: `${API}/users/u`,
    payload: {
      uri: `${API}/scheduled_events/${o.ev}/invitees/${o.inv}`,
      email: "sam@client.test",
      name: "Sam Client",
      status: o.status ?? "active",
      timezone: "Europe/Berlin",
      updated_at: o.updatedAt,
      rescheduled: o.rescheduled ?? false,
      old_invitee: o.oldInvitee ?? null,
      new_invitee: o.newInvitee ?? null,
      no_show: o.noShow ? { uri: o.noShow, created_at: o.updatedAt } : null,
      cancellation:
        o.status === "canceled"
          ? { canceled_by: "Sam Client", reason: "Conflict", canceler_type: "invitee" }
          : undefined,
      scheduled_event: {
        uri: `${API}/scheduled_events/${o.ev}`,
        name: "Coaching Session",
        status: o.status ?? "active",
        start_time: start,
        end_time: start.replace("15:00", "16:00"),
        event_type: `${API}/event_types/et1`,
        location: { type: "zoom", join_url: null, status: "processing" },
      },
    },
  };
}

/** Both halves of one reschedule; `tag` keeps URIs unique per test (they are global in Calendly). */
const reschedule = (tag: string) => {
  const OLD = `${API}/scheduled_events/ev-old-${tag}/invitees/inv-old`;
  const NEW = `${API}/scheduled_events/ev-new-${tag}/invitees/inv-new`;
  const canceledHalf = invitee({
    event: "invitee.canceled",
    ev: `ev-old-${tag}`,
    inv: "inv-old",
    status: "canceled",
    updatedAt: "2026-12-05T10:00:00.000000Z",
    rescheduled: true,
    newInvitee: NEW,
  });
  const createdHalf = invitee({
    event: "invitee.created",
    ev: `ev-new-${tag}`,
    inv: "inv-new",
    updatedAt: "2026-12-05T10:00:01.000000Z",
    start: "2026-12-12T15:00:00.000000Z",
    oldInvitee: OLD,
  });
  return { OLD, NEW, canceledHalf, createdHalf, tag };
};

async function snapshot(coachId: string) {
  const sessions = await env.DB.prepare(
    "select calendly_uri, status from sessions where coach_id = ? order by calendly_uri",
  )
    .bind(coachId)
    .all();
  const events = await env.DB.prepare("select type from domain_events where coach_id = ?")
    .bind(coachId)
    .all<{ type: string }>();
  const links = await env.DB.prepare(
    "select calendly_uri, old_invitee_uri, new_invitee_uri, status from invitees where coach_id = ? order by calendly_uri",
  )
    .bind(coachId)
    .all();
  return {
    sessions: sessions.results,
    events: events.results.map((e) => e.type),
    links: links.results,
  };
}

describe("applyCalendlyEvent", () => {
  type Reschedule = ReturnType<typeof reschedule>;
  const orders: [string, (r: Reschedule) => WebhookEnvelope[]][] = [
    ["canceled half first", (r) => [r.canceledHalf, r.createdHalf]],
    ["created half first", (r) => [r.createdHalf, r.canceledHalf]],
    [
      "both halves duplicated and reversed",
      (r) => [r.createdHalf, r.canceledHalf, r.createdHalf, r.canceledHalf],
    ],
  ];

  it.each(orders)(
    "pairs a reschedule (%s): one canceled, one active, linked, one event",
    async (name, order) => {
      const scope = await newCoach();
      const r = reschedule(name.replaceAll(" ", "-"));
      for (const d of order(r)) await applyCalendlyEvent(scope, d);
      const s = await snapshot(scope.coachId);
      expect(s.sessions).toEqual([
        { calendly_uri: `${API}/scheduled_events/ev-new-${r.tag}`, status: "active" },
        { calendly_uri: `${API}/scheduled_events/ev-old-${r.tag}`, status: "canceled" },
      ]);
      // Exactly one reschedule; the original booking (never delivered here) is recorded once too.
      expect([...s.events].sort()).toEqual(["booking.created", "booking.rescheduled"]);
      expect(s.links).toEqual([
        { calendly_uri: r.NEW, old_invitee_uri: r.OLD, new_invitee_uri: null, status: "active" },
        { calendly_uri: r.OLD, old_invitee_uri: null, new_invitee_uri: r.NEW, status: "canceled" },
      ]);
    },
  );

  it("records a booking and a plain cancellation once each, ignoring stale redeliveries", async () => {
    const scope = await newCoach();
    const created = invitee({
      event: "invitee.created",
      ev: "e1",
      inv: "i1",
      updatedAt: "2026-12-01T10:00:00Z",
    });
    const canceled = invitee({
      event: "invitee.canceled",
      ev: "e1",
      inv: "i1",
      status: "canceled",
      updatedAt: "2026-12-02T10:00:00Z",
    });
    for (const d of [created, canceled, created, canceled]) await applyCalendlyEvent(scope, d);
    const s = await snapshot(scope.coachId);
    expect(s.events).toEqual(["booking.created", "booking.canceled"]);
    expect(s.sessions).toEqual([
      { calendly_uri: `${API}/scheduled_events/e1`, status: "canceled" },
    ]);
    const row = await env.DB.prepare(
      "select canceled_by, cancel_reason from invitees where coach_id = ?",
    )
      .bind(scope.coachId)
      .first();
    expect(row).toEqual({ canceled_by: "Sam Client", cancel_reason: "Conflict" });
  });

  it("records a booking first seen already canceled (its created webhook was lost) once, then the cancel", async () => {
    const scope = await newCoach();
    const canceled = invitee({
      event: "invitee.canceled",
      ev: "lost1",
      inv: "l1",
      status: "canceled",
      updatedAt: "2026-12-02T10:00:00Z",
    });
    await applyCalendlyEvent(scope, canceled);
    await applyCalendlyEvent(scope, canceled);
    await applyCalendlyEvent(
      scope,
      invitee({
        event: "invitee.created",
        ev: "lost1",
        inv: "l1",
        updatedAt: "2026-12-01T10:00:00Z",
      }),
    );
    const s = await snapshot(scope.coachId);
    expect(s.events).toEqual(["booking.created", "booking.canceled"]);
    expect(s.sessions).toEqual([
      { calendly_uri: `${API}/scheduled_events/lost1`, status: "canceled" },
    ]);
  });

  it("marks and clears a no-show exactly once each", async () => {
    const scope = await newCoach();
    const base = { ev: "e2", inv: "i2" };
    await applyCalendlyEvent(
      scope,
      invitee({ event: "invitee.created", ...base, updatedAt: "2026-12-01T10:00:00Z" }),
    );
    const marked = invitee({
      event: "invitee_no_show.created",
      ...base,
      updatedAt: "2026-12-01T11:00:00Z",
      noShow: `${API}/invitee_no_shows/ns1`,
    });
    const cleared = invitee({
      event: "invitee_no_show.deleted",
      ...base,
      updatedAt: "2026-12-01T12:00:00Z",
    });
    for (const d of [marked, marked, cleared, cleared]) await applyCalendlyEvent(scope, d);
    expect((await snapshot(scope.coachId)).events).toEqual([
      "booking.created",
      "invitee.no_show_marked",
      "invitee.no_show_cleared",
    ]);
  });

  it("refuses an unreadable invitee payload as a permanent (4xx) error", async () => {
    const scope = await newCoach();
    const bad = {
      ...reschedule("bad").createdHalf,
      payload: { uri: "x", updated_at: "never" },
    } as WebhookEnvelope;
    await expect(applyCalendlyEvent(scope, bad)).rejects.toMatchObject({ status: 400 });
  });
});
