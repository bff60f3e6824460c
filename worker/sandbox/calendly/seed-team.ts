/**
 * Seed of Dana's team (organizations.ts): three more users in her organization, a group event type
 * whose events hold several invitees (one canceled, so `invitees_counter.total` > `active`), and the
 * team's round-robin and collective event types. Nothing here touches Dana's or Lee's own rows, so
 * every test that counts their data sees the same numbers as before.
 */
import type { Rule } from "../db/schema";
import { sbEvents, sbEventTypes, sbInvitees, sbUsers } from "../db/schema";
import { TEAM } from "./organizations";
import { iso6, type SandboxDb } from "./store";

const DAY = 86_400_000;
const weekdays: Rule[] = ["monday", "tuesday", "wednesday", "thursday", "friday"].map((wday) => ({
  type: "wday",
  wday,
  intervals: [{ from: "09:00", to: "17:00" }],
}));

const USERS = [
  { id: "ari-stone-0003", email: "ari@coach.test", name: "Ari Stone", tz: "America/Chicago" },
  { id: "noor-haddad-0004", email: "noor@coach.test", name: "Noor Haddad", tz: "Europe/London" },
  { id: "jo-park-0005", email: "jo@coach.test", name: "Jo Park", tz: "America/Los_Angeles" },
];

const TYPES = [
  // Noor's group type: several invitees per event.
  {
    id: "noor-haddad-group-circle",
    userId: "noor-haddad-0004",
    name: "Peer Circle",
    slug: "group-circle",
    duration: 60,
    kind: "group" as const,
    limit: 6,
  },
  // The team's pooled types (profile "Team"; pooling in organizations.ts), held by the admin.
  {
    id: "reyes-coaching-intro-round-robin",
    userId: "ari-stone-0003",
    name: "Team Intro (round robin)",
    slug: "team-intro",
    duration: 30,
    kind: "solo" as const,
    limit: 1,
  },
  {
    id: "reyes-coaching-panel-review",
    userId: "ari-stone-0003",
    name: "Panel Review (collective)",
    slug: "panel-review",
    duration: 45,
    kind: "solo" as const,
    limit: 1,
  },
];

/** The next weekday at 14:00 UTC, `days` from now (seeded at the same instant as the rest). */
function at14(now: number, days: number) {
  const d = new Date(now + days * DAY);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(14, 0, 0, 0);
  return d.getTime();
}

export async function seedTeam(db: SandboxDb, now: number, stamp: string) {
  await db
    .insert(sbUsers)
    .values(
      USERS.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        slug: u.id.replace(/-\d+$/, ""),
        timezone: u.tz,
        orgId: TEAM.orgId,
        scheduleId: `schedule-${u.id}`,
        rules: weekdays,
        createdAt: stamp,
      })),
    )
    .onConflictDoNothing();
  await db
    .insert(sbEventTypes)
    .values(
      TYPES.map((t, position) => ({
        id: t.id,
        userId: t.userId,
        name: t.name,
        slug: t.slug,
        duration: t.duration,
        kind: t.kind,
        inviteeLimit: t.limit,
        position,
        color: "#64748b",
        description: `${t.name} at ${TEAM.name}.`,
        createdAt: stamp,
      })),
    )
    .onConflictDoNothing();

  // Two Peer Circle events: a past one with four invitees (one canceled), a future one with three.
  const circles = [
    { id: "noor-haddad-circle-past", start: at14(now, -14), people: 4 },
    { id: "noor-haddad-circle-next", start: at14(now, 7), people: 3 },
  ];
  for (const e of circles) {
    const created = iso6(e.start - 10 * DAY);
    await db
      .insert(sbEvents)
      .values({
        id: e.id,
        userId: "noor-haddad-0004",
        eventTypeId: "noor-haddad-group-circle",
        name: "Peer Circle",
        status: "active",
        startTime: e.start,
        endTime: e.start + 60 * 60_000,
        createdAt: created,
        updatedAt: created,
      })
      .onConflictDoNothing();
    await db
      .insert(sbInvitees)
      .values(
        Array.from({ length: e.people }, (_, i) => {
          const canceled = i === 3;
          const cancellation = canceled
            ? {
                canceled_by: `Circle Member ${i + 1}`,
                reason: "Travelling",
                canceler_type: "invitee" as const,
                created_at: iso6(e.start - 2 * DAY),
              }
            : null;
          return {
            id: `${e.id}-inv-${i + 1}`,
            eventId: e.id,
            email: `circle.member${i + 1}@client.test`,
            name: `Circle Member ${i + 1}`,
            timezone: "Europe/London",
            status: canceled ? ("canceled" as const) : ("active" as const),
            cancellation,
            createdAt: created,
            updatedAt: cancellation?.created_at ?? created,
          };
        }),
      )
      .onConflictDoNothing();
  }
}
