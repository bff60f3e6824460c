/**
 * Organizations of the fake Calendly. Dana Reyes owns "Reyes Coaching", a team with one admin (Ari
 * Stone) and two members (Noor Haddad, Jo Park); Lee Park is alone in his own organization, and a
 * user alone in an organization owns it (as on Calendly). Roles and team event types are seed data
 * kept here in code (the fake has no API that creates users or teams), not in columns.
 * Calendly's rule: `organization=` queries need an admin or owner; members get 403.
 */
import { eq } from "drizzle-orm";
import { sbUsers } from "../db/schema";
import type { SandboxDb } from "./store";

export type Role = "owner" | "admin" | "user";

export const TEAM = {
  orgId: "org-dana-reyes",
  name: "Reyes Coaching",
  members: [
    { id: "dana-reyes-0001", role: "owner" as Role },
    { id: "ari-stone-0003", role: "admin" as Role },
    { id: "noor-haddad-0004", role: "user" as Role },
    { id: "jo-park-0005", role: "user" as Role },
  ],
};

/** Team event types (profile "Team"): who pools them, and how. */
export const POOLING: Record<string, "round_robin" | "collective"> = {
  "reyes-coaching-intro-round-robin": "round_robin",
  "reyes-coaching-panel-review": "collective",
};

export const roleOf = (userId: string): Role =>
  TEAM.members.find((m) => m.id === userId)?.role ?? "owner";

export const isOrgAdmin = (userId: string) => roleOf(userId) !== "user";

/** Users of an organization, in seed order (the caller has checked the role). */
export async function membersOf(db: SandboxDb, orgId: string) {
  return db.select().from(sbUsers).where(eq(sbUsers.orgId, orgId));
}

/**
 * Whose data a `user=` / `organization=` query may read, or null for Calendly's 403: a user reads
 * their own; `organization=` (own organization, admin or owner only) reads every member's, narrowed
 * to one member when `user=` is given too.
 */
export async function readableOwners(
  db: SandboxDb,
  me: { id: string; orgId: string },
  q: { user?: string; organization?: string },
  at: { user: (id: string) => string; org: (id: string) => string },
): Promise<string[] | null> {
  if (!q.organization) return q.user === at.user(me.id) ? [me.id] : null;
  if (q.organization !== at.org(me.orgId) || !isOrgAdmin(me.id)) return null;
  const ids = (await membersOf(db, me.orgId)).map((u) => u.id);
  if (!q.user) return ids;
  const one = ids.find((id) => at.user(id) === q.user);
  return one ? [one] : null;
}
