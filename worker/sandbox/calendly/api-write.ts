/**
 * Write side of the fake Calendly API v2: `POST /invitees` (api-invitees.ts: plan limits, strict
 * checks, 404 or 400 when taken), event cancellation (201; 403 when past or already canceled), no-shows (201 / 200 / 204) and
 * webhook subscriptions (201, 409 on a duplicate URL, 204 on delete; the signing key is write-only;
 * events that need a plan feature are refused on Free with 403, plans.ts).
 */

import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { newId } from "../../lib/ids";
import { isTimeZone } from "../../lib/validation";
import { isBufferMinutes, WEEKDAYS } from "../../schemas/availability";
import { sbEvents, sbEventTypes, sbInvitees, sbSubscriptions } from "../db/schema";
import type { SandboxApiEnv } from "./api-auth";
import { calendlyInvitees } from "./api-invitees";
import { ownEvent, ownEventType } from "./api-read";
import { cancelEvent, setNoShow } from "./bookings";
import { checkQuery, oneOf, PAGING, sortBy, uri } from "./filters";
import { paginate, parseCount } from "./paging";
import { subscriptionSigningKey } from "./personal-tokens";
import { getPlan, PLAN_GATED_EVENTS, UPGRADE_MESSAGE } from "./plans";
import { eventTypeResource, subscriptionResource } from "./resources";
import { apiError, idFromUri, invalid, iso6, sandboxDb, uris } from "./store";

const EVENTS = [
  "invitee.created",
  "invitee.canceled",
  "invitee_no_show.created",
  "invitee_no_show.deleted",
  "event_type.created",
  "event_type.updated",
  "event_type.deleted",
  ...PLAN_GATED_EVENTS,
];
const notFound = (
  c: Parameters<typeof apiError>[0],
  message = "The server could not find the requested resource.",
) => apiError(c, 404, "Resource Not Found", message);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use HH:MM");
const Interval = z
  .object({ from: hhmm, to: hhmm })
  .refine((i) => i.from < i.to, "from must be before to");
const BUFFER_MESSAGE = "Buffers are 0, 5, 10, 15, 30, 45, 60, 90, 120, 150 or 180 minutes";
const BUFFER = z.number({ error: BUFFER_MESSAGE }).refine(isBufferMinutes, BUFFER_MESSAGE);
const EventTypePatch = z.object({
  before_buffer: BUFFER.optional(),
  after_buffer: BUFFER.optional(),
});

const ScheduleBody = z.object({
  availability_rule: z.object({
    timezone: z.string().refine(isTimeZone, "Unknown time zone"),
    rules: z.array(
      z.union([
        z.object({
          type: z.literal("wday"),
          wday: z.enum(WEEKDAYS),
          intervals: z.array(Interval),
        }),
        z.object({
          type: z.literal("date"),
          date: z.iso.date(),
          intervals: z.array(Interval),
        }),
      ]),
    ),
  }),
  availability_setting: z.string().optional(),
});

export const calendlyWrite = new Hono<SandboxApiEnv>()
  .route("/", calendlyInvitees)
  // Solo event types only (contract §2.2); omitted fields stay as they are.
  .patch("/event_types/:id", async (c) => {
    const et = await ownEventType(c.env, c.var.user.id, c.req.param("id"));
    if (!et) return notFound(c);
    if (et.kind !== "solo") return invalid(c, "event_type", "Only solo event types can be edited");
    const body = EventTypePatch.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      const issue = body.error.issues[0];
      return invalid(c, issue?.path.join(".") || "body", issue?.message ?? "invalid");
    }
    const patch = {
      ...(body.data.before_buffer !== undefined ? { beforeBuffer: body.data.before_buffer } : {}),
      ...(body.data.after_buffer !== undefined ? { afterBuffer: body.data.after_buffer } : {}),
    };
    const db = sandboxDb(c.env);
    if (Object.keys(patch).length) {
      await db.update(sbEventTypes).set(patch).where(eq(sbEventTypes.id, et.id));
    }
    const updated = await db.query.sbEventTypes.findFirst({ where: eq(sbEventTypes.id, et.id) });
    return c.json({
      resource:
        updated && eventTypeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, c.var.user, updated),
    });
  })
  // Replaces the event type's whole rule list (contract §2.4: event type in the query, no path id).
  .patch("/event_type_availability_schedules", async (c) => {
    const et = await ownEventType(c.env, c.var.user.id, c.req.query("event_type") ?? "");
    if (!et) return notFound(c);
    const body = ScheduleBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      const issue = body.error.issues[0];
      return invalid(c, issue?.path.join(".") || "availability_rule", issue?.message ?? "invalid");
    }
    const { timezone, rules } = body.data.availability_rule;
    await sandboxDb(c.env)
      .update(sbEventTypes)
      .set({ rules, rulesTimezone: timezone })
      .where(eq(sbEventTypes.id, et.id));
    return c.json({
      resource: { availability_rule: { timezone, rules }, availability_setting: "host" },
    });
  })
  .post("/scheduled_events/:id/cancellation", async (c) => {
    const e = await ownEvent(c.env, c.var.user.id, c.req.param("id"));
    if (!e) return notFound(c);
    if (e.status === "canceled")
      return apiError(c, 403, "Permission Denied", "Event is already canceled");
    if (e.endTime < Date.now()) return apiError(c, 403, "Permission Denied", "Event in the past");
    const body = (await c.req.json().catch(() => ({}))) as { reason?: string };
    if (body.reason && body.reason.length > 10_000)
      return invalid(c, "reason", "reason is too long");
    const cancellation = await cancelEvent(
      { env: c.env, waitUntil: (p) => c.executionCtx.waitUntil(p) },
      c.var.user,
      e.id,
      body.reason ?? null,
    );
    return c.json({ resource: cancellation }, 201);
  })
  .post("/invitee_no_shows", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { invitee?: string };
    if (!body.invitee) return invalid(c, "invitee", "invitee is required");
    const db = sandboxDb(c.env);
    const inv = await db.query.sbInvitees.findFirst({
      where: eq(sbInvitees.id, idFromUri(body.invitee)),
    });
    const ev = inv && (await ownEvent(c.env, c.var.user.id, inv.eventId));
    if (!inv || !ev) return notFound(c);
    const id =
      inv.noShowId ??
      (await setNoShow(
        { env: c.env, waitUntil: (p) => c.executionCtx.waitUntil(p) },
        c.var.user,
        inv.id,
        true,
      ));
    const at = uris(c.env.CALENDLY_API_BASE);
    return c.json(
      {
        resource: { uri: at.noShow(id ?? ""), invitee: body.invitee, created_at: iso6(Date.now()) },
      },
      201,
    );
  })
  .get("/invitee_no_shows/:id", async (c) => {
    const inv = await noShowInvitee(c.env, c.var.user.id, c.req.param("id"));
    if (!inv) return notFound(c);
    const at = uris(c.env.CALENDLY_API_BASE);
    return c.json({
      resource: {
        uri: at.noShow(c.req.param("id")),
        invitee: at.invitee(inv.eventId, inv.id),
        created_at: inv.noShowAt,
      },
    });
  })
  .delete("/invitee_no_shows/:id", async (c) => {
    const inv = await noShowInvitee(c.env, c.var.user.id, c.req.param("id"));
    if (!inv) return notFound(c);
    await setNoShow(
      { env: c.env, waitUntil: (p) => c.executionCtx.waitUntil(p) },
      c.var.user,
      inv.id,
      false,
    );
    return c.body(null, 204);
  })
  .post("/webhook_subscriptions", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as {
      url?: string;
      events?: string[];
      organization?: string;
      scope?: string;
      user?: string;
      signing_key?: string;
    };
    const at = uris(c.env.CALENDLY_API_BASE);
    if (!body.url || !/^https?:\/\//.test(body.url))
      return invalid(c, "url", "url must be an http(s) URL");
    if (!body.events?.length || body.events.some((e) => !EVENTS.includes(e)))
      return invalid(c, "events", "events must be known event names");
    if (!body.organization) return invalid(c, "organization", "organization is required");
    const db = sandboxDb(c.env);
    if (
      body.events.some((e) => PLAN_GATED_EVENTS.includes(e)) &&
      (await getPlan(db, c.var.user.id)) === "free"
    ) {
      return apiError(c, 403, "Permission Denied", UPGRADE_MESSAGE);
    }
    if (body.scope !== "user")
      return apiError(c, 403, "Permission Denied", "Only user scope is available to members");
    if (body.user !== at.user(c.var.user.id) || body.organization !== at.org(c.var.user.orgId)) {
      return apiError(
        c,
        403,
        "Permission Denied",
        "You do not have permission to access this resource.",
      );
    }
    if (
      await db.query.sbSubscriptions.findFirst({ where: eq(sbSubscriptions.callbackUrl, body.url) })
    ) {
      return apiError(c, 409, "Already Exists", "Hook with this url already exists");
    }
    const now = iso6(Date.now());
    const row = {
      id: newId("sub"),
      userId: c.var.user.id,
      callbackUrl: body.url,
      events: body.events,
      state: "active" as const,
      signingKey: subscriptionSigningKey(c.req.header("authorization"), body.signing_key),
      retryStartedAt: null,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    await db.insert(sbSubscriptions).values(row);
    return c.json(
      { resource: subscriptionResource(c.env.CALENDLY_API_BASE, c.var.user, row) },
      201,
    );
  })
  .get("/webhook_subscriptions", async (c) => {
    const { organization, scope, user, page_token } = c.req.query();
    const bad = checkQuery(
      c,
      {
        organization: uri,
        user: uri,
        scope: oneOf("organization", "user"),
        sort: sortBy("created_at"),
        ...PAGING,
      },
      ["organization", "scope", ...(scope === "user" ? ["user"] : [])],
    );
    if (bad) return bad;
    const at = uris(c.env.CALENDLY_API_BASE);
    if (organization !== at.org(c.var.user.orgId) || (user && user !== at.user(c.var.user.id))) {
      return apiError(
        c,
        403,
        "Permission Denied",
        "You do not have permission to access this resource.",
      );
    }
    const count = parseCount(c.req.query("count"));
    if (typeof count === "string") return invalid(c, "count", count);
    const rows = await sandboxDb(c.env)
      .select()
      .from(sbSubscriptions)
      .where(eq(sbSubscriptions.userId, c.var.user.id));
    const items = rows.map((s) => subscriptionResource(c.env.CALENDLY_API_BASE, c.var.user, s));
    return c.json(paginate(items, count, page_token, c.req.url));
  })
  .get("/webhook_subscriptions/:id", async (c) => {
    const s = await sandboxDb(c.env).query.sbSubscriptions.findFirst({
      where: and(
        eq(sbSubscriptions.id, c.req.param("id")),
        eq(sbSubscriptions.userId, c.var.user.id),
      ),
    });
    return s
      ? c.json({ resource: subscriptionResource(c.env.CALENDLY_API_BASE, c.var.user, s) })
      : notFound(c);
  })
  .delete("/webhook_subscriptions/:id", async (c) => {
    const db = sandboxDb(c.env);
    const where = and(
      eq(sbSubscriptions.id, c.req.param("id")),
      eq(sbSubscriptions.userId, c.var.user.id),
    );
    if (!(await db.query.sbSubscriptions.findFirst({ where }))) return notFound(c);
    await db.delete(sbSubscriptions).where(where);
    return c.body(null, 204);
  });

async function noShowInvitee(env: Env, userId: string, noShowId: string) {
  const db = sandboxDb(env);
  const inv = await db.query.sbInvitees.findFirst({ where: eq(sbInvitees.noShowId, noShowId) });
  const ev =
    inv &&
    (await db.query.sbEvents.findFirst({
      where: and(eq(sbEvents.id, inv.eventId), eq(sbEvents.userId, userId)),
    }));
  return ev ? inv : undefined;
}
