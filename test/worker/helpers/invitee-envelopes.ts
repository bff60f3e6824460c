/**
 * Calendly invitee webhooks for the booking-path tests, shaped like the recorded fixtures: the
 * envelope's created_at is when the change happened, the invitee's updated_at moves only when the
 * booking itself changes (not for no-shows, as at Calendly).
 */
import { env } from "cloudflare:workers";
import type { WebhookEnvelope } from "../../../worker/calendly/webhook-envelope";
import { createDb } from "../../../worker/db/client";

export const API = "https://api.calendly.test";
let n = 0;

export async function newCoach(tag = "apply") {
  const id = `coa_${tag}_${++n}`;
  await env.DB.prepare(
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, 'C', 'c@coach.test', 'UTC', ?)",
  )
    .bind(id, `${API}/users/${id}`, id)
    .run();
  return { db: createDb(env.DB), coachId: id };
}

export function invitee(o: {
  event: string;
  ev: string;
  inv: string;
  status?: "active" | "canceled";
  updatedAt: string;
  /** The envelope's created_at; defaults to updatedAt. */
  happenedAt?: string;
  start?: string;
  rescheduled?: boolean;
  oldInvitee?: string;
  newInvitee?: string;
  noShow?: string | null;
}): WebhookEnvelope {
  const start = o.start ?? "2026-12-10T15:00:00.000000Z";
  return {
    event: o.event,
    created_at: o.happenedAt ?? o.updatedAt,
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
      no_show: o.noShow ? { uri: o.noShow, created_at: o.happenedAt ?? o.updatedAt } : null,
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

export const inviteeUri = (ev: string, inv: string) =>
  `${API}/scheduled_events/${ev}/invitees/${inv}`;

/**
 * One reschedule of `from` (event `fromEv`) to a new invitee on event `toEv`, as Calendly sends it:
 * the old invitee canceled with `rescheduled`/`new_invitee`, the new one created with `old_invitee`.
 */
export function move(o: {
  fromEv: string;
  toEv: string;
  at: string;
  fromStart?: string;
  toStart: string;
  fromOld?: string;
}) {
  const from = inviteeUri(o.fromEv, "inv");
  const to = inviteeUri(o.toEv, "inv");
  const canceledHalf = invitee({
    event: "invitee.canceled",
    ev: o.fromEv,
    inv: "inv",
    status: "canceled",
    updatedAt: o.at,
    start: o.fromStart,
    rescheduled: true,
    oldInvitee: o.fromOld,
    newInvitee: to,
  });
  const createdHalf = invitee({
    event: "invitee.created",
    ev: o.toEv,
    inv: "inv",
    updatedAt: o.at,
    start: o.toStart,
    oldInvitee: from,
  });
  return { from, to, canceledHalf, createdHalf };
}

export async function domainEvents(coachId: string) {
  const rows = await env.DB.prepare(
    "select type, dedupe_key, session_id, payload from domain_events where coach_id = ? order by rowid",
  )
    .bind(coachId)
    .all<{ type: string; dedupe_key: string; session_id: string; payload: string }>();
  return rows.results.map((r) => ({ ...r, payload: JSON.parse(r.payload) }));
}
