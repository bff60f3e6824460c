/**
 * Read side of the fake Calendly API v2: users, event types, scheduled events, invitees, no-shows,
 * availability schedules, busy times and available times. A user sees only their own data; another
 * user's or organization's URI gets 403 Permission Denied, as on Calendly. Every documented query
 * parameter is checked (filters.ts): a value Calendly would refuse is a 400 here too.
 */

import { and, asc, desc, eq, gte, inArray, lt } from "drizzle-orm";
import { Hono } from "hono";
import { sbEvents, sbEventTypes, sbInvitees, sbUsers } from "../db/schema";
import type { SandboxApiEnv } from "./api-auth";
import { openSlots, scheduleOf } from "./availability";
import { externalBusy } from "./busy";
import { scheduledEventResource } from "./event-resource";
import {
  boolean,
  checkQuery,
  emailAddress,
  oneOf,
  PAGING,
  parseTimestamp,
  sortBy,
  timestamp,
  uri,
} from "./filters";
import { readableOwners } from "./organizations";
import { paginate, parseCount } from "./paging";
import { bufferedTimes, eventTypeResource, inviteeResource, userResource } from "./resources";
import { apiError, idFromUri, invalid, iso6, sandboxDb, uris } from "./store";

const DAY = 86_400_000;
/** "Not in the past", with the slack of a client's clock and the request's own travel. */
const PAST_SLACK = 60_000;
const notFound = (c: Parameters<typeof apiError>[0]) =>
  apiError(c, 404, "Resource Not Found", "The server could not find the requested resource.");
const forbidden = (c: Parameters<typeof apiError>[0]) =>
  apiError(c, 403, "Permission Denied", "You do not have permission to access this resource.");

export const calendlyRead = new Hono<SandboxApiEnv>()
  .get("/users/me", (c) =>
    c.json({ resource: userResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, c.var.user) }),
  )
  .get("/users/:id", (c) =>
    c.req.param("id") === c.var.user.id
      ? c.json({ resource: userResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, c.var.user) })
      : forbidden(c),
  )
  .get("/event_types", async (c) => {
    const bad = checkQuery(c, {
      user: uri,
      organization: uri,
      active: boolean,
      admin_managed: boolean,
      sort: sortBy("name"),
      ...PAGING,
    });
    if (bad) return bad;
    const { user: userUri, organization, sort = "name:asc", page_token } = c.req.query();
    const { active, admin_managed } = c.req.query();
    const at = uris(c.env.CALENDLY_API_BASE);
    if (!userUri && !organization) return invalid(c, "user", "user or organization is required");
    // organization= needs an admin or owner and reads every member's (organizations.ts).
    const owners = await readableOwners(sandboxDb(c.env), c.var.user, c.req.query(), at);
    if (!owners) return forbidden(c);
    const count = parseCount(c.req.query("count"));
    if (typeof count === "string") return invalid(c, "count", count);
    const rows = await sandboxDb(c.env)
      .select()
      .from(sbEventTypes)
      .where(
        and(
          inArray(sbEventTypes.userId, owners),
          active ? eq(sbEventTypes.active, active === "true") : undefined,
        ),
      )
      .orderBy(
        sort.startsWith("name:desc") ? desc(sbEventTypes.name) : asc(sbEventTypes.name),
        asc(sbEventTypes.id),
      );
    // No seeded event type is admin managed (they all answer `admin_managed: false`).
    if (admin_managed === "true") rows.length = 0;
    const hosts = new Map(
      (await sandboxDb(c.env).select().from(sbUsers).where(inArray(sbUsers.id, owners))).map(
        (u) => [u.id, u],
      ),
    );
    const items = rows.map((et) =>
      eventTypeResource(
        c.env.CALENDLY_API_BASE,
        c.env.APP_URL,
        hosts.get(et.userId) ?? c.var.user,
        et,
      ),
    );
    return c.json(paginate(items, count, page_token, c.req.url));
  })
  .get("/event_types/:id", async (c) => {
    const et = await sandboxDb(c.env).query.sbEventTypes.findFirst({
      where: and(eq(sbEventTypes.id, c.req.param("id")), eq(sbEventTypes.userId, c.var.user.id)),
    });
    return et
      ? c.json({
          resource: eventTypeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, c.var.user, et),
        })
      : notFound(c);
  })
  .get("/event_type_available_times", async (c) => {
    const bad = checkQuery(c, { event_type: uri, start_time: timestamp, end_time: timestamp }, [
      "event_type",
      "start_time",
      "end_time",
    ]);
    if (bad) return bad;
    const { event_type = "", start_time, end_time } = c.req.query();
    const from = parseTimestamp(start_time);
    const to = parseTimestamp(end_time);
    if (from < Date.now() - PAST_SLACK)
      return invalid(c, "start_time", "start_time must be in the future");
    if (to <= from) return invalid(c, "end_time", "end_time must be after start_time");
    if (to - from > 31 * DAY)
      return invalid(c, "end_time", "The date range can be no greater than 31 days");
    const db = sandboxDb(c.env);
    const et = await db.query.sbEventTypes.findFirst({
      where: eq(sbEventTypes.id, idFromUri(event_type)),
    });
    if (!et) return notFound(c);
    if (et.userId !== c.var.user.id) return forbidden(c);
    const slots = await openSlots(db, c.var.user, et, from, to);
    return c.json({
      collection: slots.map((s) => ({
        status: "available",
        invitees_remaining: s.remaining,
        start_time: iso6(s.start),
        scheduling_url: `${c.env.APP_URL}/sandbox/calendly/p/${c.var.user.slug}/${et.slug}?t=${s.start}`,
      })),
    });
  })
  .get("/event_type_availability_schedules", async (c) => {
    const et = await ownEventType(c.env, c.var.user.id, c.req.query("event_type") ?? "");
    if (!et) return forbidden(c);
    const { rules, timezone } = scheduleOf(c.var.user, et);
    return c.json({
      collection: [{ availability_rule: { timezone, rules }, availability_setting: "host" }],
      pagination: { count: 1, next_page: null, next_page_token: null },
    });
  })
  .get("/user_availability_schedules", (c) => {
    const bad = checkQuery(c, { user: uri }, ["user"]);
    if (bad) return bad;
    const u = c.var.user;
    if (c.req.query("user") !== uris(c.env.CALENDLY_API_BASE).user(u.id)) return forbidden(c);
    return c.json({
      collection: [
        {
          uri: uris(c.env.CALENDLY_API_BASE).schedule(u.scheduleId),
          default: true,
          name: "Working hours",
          user: uris(c.env.CALENDLY_API_BASE).user(u.id),
          timezone: u.timezone,
          rules: u.rules,
        },
      ],
    });
  })
  .get("/user_busy_times", async (c) => {
    const bad = checkQuery(c, { user: uri, start_time: timestamp, end_time: timestamp }, [
      "user",
      "start_time",
      "end_time",
    ]);
    if (bad) return bad;
    if (c.req.query("user") !== uris(c.env.CALENDLY_API_BASE).user(c.var.user.id))
      return forbidden(c);
    const from = parseTimestamp(c.req.query("start_time"));
    const to = parseTimestamp(c.req.query("end_time"));
    if (from < Date.now() - PAST_SLACK)
      return invalid(c, "start_time", "start_time must be in the future");
    if (to <= from) return invalid(c, "end_time", "end_time must be after start_time");
    if (to - from > 7 * DAY)
      return invalid(c, "end_time", "The date range can be no greater than 7 days");
    const db = sandboxDb(c.env);
    const [rows, types] = await Promise.all([
      db
        .select()
        .from(sbEvents)
        .where(
          and(
            eq(sbEvents.userId, c.var.user.id),
            eq(sbEvents.status, "active"),
            gte(sbEvents.endTime, from),
            lt(sbEvents.startTime, to),
          ),
        )
        .orderBy(asc(sbEvents.startTime)),
      db.select().from(sbEventTypes).where(eq(sbEventTypes.userId, c.var.user.id)),
    ]);
    const own = rows.map((e) => ({
      type: "calendly",
      start_time: iso6(e.startTime),
      end_time: iso6(e.endTime),
      ...bufferedTimes(
        e,
        types.find((t) => t.id === e.eventTypeId),
      ),
      event: { uri: uris(c.env.CALENDLY_API_BASE).event(e.id) },
    }));
    const external = externalBusy(c.var.user, from, to).map((b) => ({
      type: "external",
      start_time: iso6(b.start),
      end_time: iso6(b.end),
    }));
    return c.json({
      collection: [...own, ...external].sort((a, b) => a.start_time.localeCompare(b.start_time)),
    });
  })
  .get("/scheduled_events", async (c) => {
    const bad = checkQuery(c, {
      user: uri,
      organization: uri,
      group: uri,
      invitee_email: emailAddress,
      status: oneOf("active", "canceled"),
      sort: sortBy("start_time"),
      min_start_time: timestamp,
      max_start_time: timestamp,
      ...PAGING,
    });
    if (bad) return bad;
    const q = c.req.query();
    const at = uris(c.env.CALENDLY_API_BASE);
    if (!q.user && !q.organization) return invalid(c, "user", "user or organization is required");
    const min = parseTimestamp(q.min_start_time);
    const max = parseTimestamp(q.max_start_time);
    if (max < min)
      return invalid(c, "max_start_time", "max_start_time must not be before min_start_time");
    const db = sandboxDb(c.env);
    // organization= needs an admin or owner and reads every member's (organizations.ts).
    const owners = await readableOwners(db, c.var.user, q, at);
    if (!owners) return forbidden(c);
    const count = parseCount(q.count);
    if (typeof count === "string") return invalid(c, "count", count);
    const where = [inArray(sbEvents.userId, owners)];
    if (q.status === "active" || q.status === "canceled") where.push(eq(sbEvents.status, q.status));
    if (q.min_start_time) where.push(gte(sbEvents.startTime, min));
    if (q.max_start_time) where.push(lt(sbEvents.startTime, max));
    if (q.invitee_email) {
      const ids = await db
        .select({ id: sbInvitees.eventId })
        .from(sbInvitees)
        .where(eq(sbInvitees.email, q.invitee_email.toLowerCase()));
      where.push(
        inArray(
          sbEvents.id,
          ids.map((r) => r.id),
        ),
      );
    }
    const rows = await db
      .select()
      .from(sbEvents)
      .where(and(...where))
      .orderBy(
        q.sort?.startsWith("start_time:desc") ? desc(sbEvents.startTime) : asc(sbEvents.startTime),
        asc(sbEvents.id),
      );
    const items = await Promise.all(rows.map((e) => scheduledEventResource(c.env, db, e)));
    return c.json(paginate(items, count, q.page_token, c.req.url));
  })
  .get("/scheduled_events/:id", async (c) => {
    const e = await ownEvent(c.env, c.var.user.id, c.req.param("id"));
    return e
      ? c.json({ resource: await scheduledEventResource(c.env, sandboxDb(c.env), e) })
      : notFound(c);
  })
  .get("/scheduled_events/:id/invitees", async (c) => {
    const bad = checkQuery(c, {
      status: oneOf("active", "canceled"),
      email: emailAddress,
      sort: sortBy("created_at"),
      ...PAGING,
    });
    if (bad) return bad;
    const e = await ownEvent(c.env, c.var.user.id, c.req.param("id"));
    if (!e) return notFound(c);
    const count = parseCount(c.req.query("count"));
    if (typeof count === "string") return invalid(c, "count", count);
    const { status, email, sort } = c.req.query();
    const where = [eq(sbInvitees.eventId, e.id)];
    if (status === "active" || status === "canceled") where.push(eq(sbInvitees.status, status));
    if (email) where.push(eq(sbInvitees.email, email.toLowerCase()));
    const rows = await sandboxDb(c.env)
      .select()
      .from(sbInvitees)
      .where(and(...where))
      .orderBy(
        sort?.startsWith("created_at:desc")
          ? desc(sbInvitees.createdAt)
          : asc(sbInvitees.createdAt),
      );
    const items = rows.map((i) => inviteeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, i));
    return c.json(paginate(items, count, c.req.query("page_token"), c.req.url));
  })
  .get("/scheduled_events/:id/invitees/:inviteeId", async (c) => {
    const e = await ownEvent(c.env, c.var.user.id, c.req.param("id"));
    const i =
      e &&
      (await sandboxDb(c.env).query.sbInvitees.findFirst({
        where: and(eq(sbInvitees.id, c.req.param("inviteeId")), eq(sbInvitees.eventId, e.id)),
      }));
    return i
      ? c.json({ resource: inviteeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, i) })
      : notFound(c);
  });

export function ownEvent(env: Env, userId: string, id: string) {
  return sandboxDb(env).query.sbEvents.findFirst({
    where: and(eq(sbEvents.id, id), eq(sbEvents.userId, userId)),
  });
}

/** The user's own event type named by its URI, or undefined. */
export async function ownEventType(env: Env, userId: string, uri: string) {
  const et = await sandboxDb(env).query.sbEventTypes.findFirst({
    where: eq(sbEventTypes.id, idFromUri(uri)),
  });
  return et && et.userId === userId ? et : undefined;
}
