/**
 * Organization endpoints of the fake Calendly: `GET /organizations/{uuid}` (members of it only),
 * `GET /organization_memberships` (`user=` own membership for anyone; `organization=` every member,
 * admins and owners only: 403 otherwise) and `GET /organization_memberships/{uuid}`.
 */
import { Hono } from "hono";
import { sbUsers } from "../db/schema";
import type { SandboxApiEnv } from "./api-auth";
import { isOrgAdmin, membersOf, roleOf, TEAM } from "./organizations";
import { paginate, parseCount } from "./paging";
import { apiError, invalid, sandboxDb, uris } from "./store";

type User = typeof sbUsers.$inferSelect;
const forbidden = (c: Parameters<typeof apiError>[0]) =>
  apiError(c, 403, "Permission Denied", "You do not have permission to access this resource.");

const membershipId = (userId: string) => `membership-${userId}`;
const orgName = (u: User) => (u.orgId === TEAM.orgId ? TEAM.name : u.name);

function membershipResource(base: string, u: User) {
  const at = uris(base);
  return {
    uri: `${base}/organization_memberships/${membershipId(u.id)}`,
    role: roleOf(u.id),
    user: {
      uri: at.user(u.id),
      name: u.name,
      slug: u.slug,
      email: u.email,
      timezone: u.timezone,
      created_at: u.createdAt,
      updated_at: u.createdAt,
    },
    organization: at.org(u.orgId),
    created_at: u.createdAt,
    updated_at: u.createdAt,
  };
}

export const calendlyOrganizations = new Hono<SandboxApiEnv>()
  .get("/organizations/:id", (c) => {
    const me = c.var.user;
    if (c.req.param("id") !== me.orgId) return forbidden(c);
    return c.json({
      resource: {
        uri: uris(c.env.CALENDLY_API_BASE).org(me.orgId),
        name: orgName(me),
        plan: "teams",
      },
    });
  })
  .get("/organization_memberships", async (c) => {
    const { user, organization, email, page_token } = c.req.query();
    const me = c.var.user;
    const at = uris(c.env.CALENDLY_API_BASE);
    if (!user && !organization)
      return invalid(c, "organization", "user or organization is required");
    const count = parseCount(c.req.query("count"));
    if (typeof count === "string") return invalid(c, "count", count);
    let people: User[];
    if (organization) {
      if (organization !== at.org(me.orgId) || !isOrgAdmin(me.id)) return forbidden(c);
      people = await membersOf(sandboxDb(c.env), me.orgId);
      if (user) people = people.filter((u) => at.user(u.id) === user);
    } else {
      if (user !== at.user(me.id)) return forbidden(c);
      people = [me];
    }
    if (email) people = people.filter((u) => u.email === email.toLowerCase());
    const items = people.map((u) => membershipResource(c.env.CALENDLY_API_BASE, u));
    return c.json(paginate(items, count, page_token, c.req.url));
  })
  .get("/organization_memberships/:id", async (c) => {
    const me = c.var.user;
    const members = await membersOf(sandboxDb(c.env), me.orgId);
    const u = members.find((m) => membershipId(m.id) === c.req.param("id"));
    if (!u)
      return apiError(
        c,
        404,
        "Resource Not Found",
        "The server could not find the requested resource.",
      );
    if (u.id !== me.id && !isOrgAdmin(me.id)) return forbidden(c);
    return c.json({ resource: membershipResource(c.env.CALENDLY_API_BASE, u) });
  });
