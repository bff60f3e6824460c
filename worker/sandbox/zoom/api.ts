/**
 * Fake Zoom REST v2 (contract §2–§3, §6): users/me; meetings list (paged, so a lost create can be
 * found by its agenda marker), create (201), get (200), patch (204, fires meeting.updated with
 * old_object) and delete (204, fires meeting.deleted); rate limits by endpoint label and the 100
 * create+update per user per day; errors always `{code, message}`. Past meetings: past-meetings.ts.
 */
import { and, asc, eq, ne } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { szMeetings, szTokens, szUsers } from "../db/zoom-schema";
import { injectZoomFaults } from "./faults";
import { rateLimit, spendMeetingWrite } from "./limits";
import {
  CreateBody,
  DEFAULT_SETTINGS,
  issuesOf,
  listItem,
  meetingJson,
  mergeSettings,
  startTimeOf,
  UpdateBody,
} from "./meetings";
import { page, pageOffset, pageSize } from "./paging";
import { pastMeetingRoute } from "./past-meetings";
import { type ZoomEnv, zoomDb, zoomError, zoomValidation } from "./store";
import { zoomIso } from "./times";
import { takeUuid } from "./uuids";
import { emitZoom } from "./webhooks";

type Meeting = typeof szMeetings.$inferSelect;

const bearer = () =>
  createMiddleware<ZoomEnv>(async (c, next) => {
    const db = zoomDb(c.env);
    const token = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
    const row = token
      ? await db.query.szTokens.findFirst({ where: eq(szTokens.token, token) })
      : undefined;
    if (!row || row.kind !== "access" || row.revoked)
      return zoomError(c, 401, 124, "Invalid access token.");
    if ((row.expiresAt ?? 0) < Date.now())
      return zoomError(c, 401, 124, "Access token is expired.");
    const user = await db.query.szUsers.findFirst({ where: eq(szUsers.id, row.userId) });
    if (!user) return zoomError(c, 404, 1001, "User does not exist.");
    c.header("x-zm-trackingid", `v=2.0;clid=sandbox;rid=${crypto.randomUUID()}`);
    c.set("zoomUser", user);
    await next();
  });

/** The JSON body, or undefined when it is not JSON (Zoom: 400 code 300). */
async function jsonBody(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text());
  } catch {
    return undefined;
  }
}
const notJson = (c: Context) =>
  zoomValidation(c, [{ field: "body", message: "Request Body should be a valid JSON object." }]);
const noMeeting = (c: Context, id: string) =>
  zoomError(c, 404, 3001, `Meeting does not exist: ${id}.`);

async function ownMeeting(env: Env, userId: string, id: string) {
  if (!/^\d{9,12}$/.test(id)) return undefined;
  const m = await zoomDb(env).query.szMeetings.findFirst({ where: eq(szMeetings.id, id) });
  return m && m.userId === userId && m.status !== "deleted" ? m : undefined;
}

export const zoomApi = new Hono<ZoomEnv>()
  .use(injectZoomFaults("api"))
  .use(bearer())
  .get("/users/me", rateLimit("Light"), (c) => {
    const u = c.var.zoomUser;
    return c.json({
      id: u.id,
      account_id: u.accountId,
      email: u.email,
      display_name: u.displayName,
      timezone: u.timezone,
      type: u.type,
    });
  })
  .get("/users/me/meetings", rateLimit("Medium"), async (c) => {
    const size = pageSize(c.req.query("page_size"));
    const offset = pageOffset(c.req.query("next_page_token"));
    const type = c.req.query("type") ?? "scheduled";
    if (size === null)
      return zoomValidation(c, [{ field: "page_size", message: "Invalid page_size." }]);
    if (offset === null)
      return zoomValidation(c, [{ field: "next_page_token", message: "Invalid next_page_token." }]);
    if (!["scheduled", "upcoming", "upcoming_meetings", "live"].includes(type))
      return zoomValidation(c, [{ field: "type", message: "Invalid type." }]);
    const rows = await zoomDb(c.env)
      .select()
      .from(szMeetings)
      .where(and(eq(szMeetings.userId, c.var.zoomUser.id), ne(szMeetings.status, "deleted")))
      .orderBy(asc(szMeetings.startTime), asc(szMeetings.id));
    const now = Date.now();
    const wanted =
      type === "live"
        ? [] // nothing is running between simulations
        : type === "scheduled"
          ? rows
          : rows.filter((m) => m.startTime + m.duration * 60_000 >= now);
    const { items, ...paging } = page(wanted, size, offset);
    return c.json({
      ...paging,
      meetings: items.map((m) => listItem(c.env, m, c.var.zoomUser)),
    });
  })
  .post("/users/me/meetings", rateLimit("Medium"), async (c) => {
    const raw = await jsonBody(c);
    if (raw === undefined) return notJson(c);
    const parsed = CreateBody.safeParse(raw);
    if (!parsed.success) return zoomValidation(c, issuesOf(parsed.error));
    const body = parsed.data;
    const timezone = body.timezone ?? c.var.zoomUser.timezone;
    if ((body.type ?? 2) === 2 && !body.start_time)
      return zoomValidation(c, [
        { field: "start_time", message: "start_time is required for scheduled meetings." },
      ]);
    const start = body.start_time ? startTimeOf(body.start_time, timezone) : Date.now();
    if (typeof start !== "number") return zoomValidation(c, [start]);
    const db = zoomDb(c.env);
    const limited = await spendMeetingWrite(c, db, c.var.zoomUser.id);
    if (limited) return limited;
    const meeting: Meeting = {
      id: String(80_000_000_000 + Math.floor(Math.random() * 9_999_999_999)),
      uuid: await takeUuid(db),
      userId: c.var.zoomUser.id,
      topic: body.topic,
      startTime: start,
      duration: body.duration ?? 60,
      timezone,
      agenda: body.agenda ?? "",
      password: body.password ?? Math.random().toString(36).slice(2, 10),
      settings: mergeSettings(DEFAULT_SETTINGS, body.settings),
      status: "waiting",
      createdAt: Date.now(),
    };
    await db.insert(szMeetings).values(meeting);
    return c.json(meetingJson(c.env, meeting, c.var.zoomUser), 201);
  })
  .get("/meetings/:id", rateLimit("Light"), async (c) => {
    const m = await ownMeeting(c.env, c.var.zoomUser.id, c.req.param("id"));
    return m ? c.json(meetingJson(c.env, m, c.var.zoomUser)) : noMeeting(c, c.req.param("id"));
  })
  .patch("/meetings/:id", rateLimit("Light"), async (c) => {
    const m = await ownMeeting(c.env, c.var.zoomUser.id, c.req.param("id"));
    if (!m) return noMeeting(c, c.req.param("id"));
    const raw = await jsonBody(c);
    if (raw === undefined) return notJson(c);
    const parsed = UpdateBody.safeParse(raw);
    if (!parsed.success) return zoomValidation(c, issuesOf(parsed.error));
    const body = parsed.data;
    const timezone = body.timezone ?? m.timezone;
    const start = body.start_time ? startTimeOf(body.start_time, timezone) : m.startTime;
    if (typeof start !== "number") return zoomValidation(c, [start]);
    const db = zoomDb(c.env);
    const limited = await spendMeetingWrite(c, db, c.var.zoomUser.id);
    if (limited) return limited;
    const next = {
      topic: body.topic ?? m.topic,
      startTime: start,
      duration: body.duration ?? m.duration,
      timezone,
      agenda: body.agenda ?? m.agenda,
      password: body.password ?? m.password,
      settings: mergeSettings(m.settings, body.settings),
    };
    await db.update(szMeetings).set(next).where(eq(szMeetings.id, m.id));
    const changed = updatedFields(m, next);
    if (Object.keys(changed.now).length > 0) {
      const u = c.var.zoomUser;
      c.executionCtx.waitUntil(
        emitZoom(c.env, [
          {
            event: "meeting.updated",
            event_ts: Date.now(),
            payload: {
              account_id: u.accountId,
              operator: u.email,
              operator_id: u.id,
              object: { id: Number(m.id), uuid: m.uuid, ...changed.now },
              old_object: { id: Number(m.id), uuid: m.uuid, ...changed.before },
              time_stamp: Date.now(),
            },
          },
        ]),
      );
    }
    return c.body(null, 204);
  })
  .delete("/meetings/:id", rateLimit("Light"), async (c) => {
    const m = await ownMeeting(c.env, c.var.zoomUser.id, c.req.param("id"));
    if (!m) return noMeeting(c, c.req.param("id"));
    await zoomDb(c.env)
      .update(szMeetings)
      .set({ status: "deleted" })
      .where(eq(szMeetings.id, m.id));
    const u = c.var.zoomUser;
    c.executionCtx.waitUntil(
      emitZoom(c.env, [
        {
          event: "meeting.deleted",
          event_ts: Date.now(),
          payload: {
            account_id: u.accountId,
            operator: u.email,
            operator_id: u.id,
            operation: "single",
            object: {
              uuid: m.uuid,
              id: Number(m.id), // a number here, a string in the participant events
              host_id: u.id,
              topic: m.topic,
              type: 2,
              start_time: zoomIso(m.startTime),
              duration: m.duration,
              timezone: m.timezone,
            },
          },
        },
      ]),
    );
    return c.body(null, 204);
  })
  .get("/past_meetings/*", pastMeetingRoute)
  .all("*", (c) => zoomError(c, 404, 404, "The requested resource was not found."));

type Next = Pick<
  Meeting,
  "topic" | "startTime" | "duration" | "timezone" | "agenda" | "password" | "settings"
>;
/** The fields a PATCH changed, in Zoom's names, as they are now and as they were. */
function updatedFields(m: Meeting, next: Next) {
  const now: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  const put = (name: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    now[name] = b;
    before[name] = a;
  };
  put("topic", m.topic, next.topic);
  put("start_time", zoomIso(m.startTime), zoomIso(next.startTime));
  put("duration", m.duration, next.duration);
  put("timezone", m.timezone, next.timezone);
  put("agenda", m.agenda, next.agenda);
  put("password", m.password, next.password);
  const settingsNow: Record<string, unknown> = {};
  const settingsBefore: Record<string, unknown> = {};
  const old = { ...DEFAULT_SETTINGS, ...m.settings } as Record<string, unknown>;
  for (const [k, v] of Object.entries(next.settings)) {
    if (JSON.stringify(old[k]) !== JSON.stringify(v)) {
      settingsNow[k] = v;
      settingsBefore[k] = old[k];
    }
  }
  if (Object.keys(settingsNow).length > 0) {
    now.settings = settingsNow;
    before.settings = settingsBefore;
  }
  return { now, before };
}
