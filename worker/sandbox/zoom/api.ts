/**
 * Fake Zoom REST v2 (contract §2–§3): users/me, meetings create (201) / get (200) / patch (204) /
 * delete (204, fires meeting.deleted), past meetings and participants (Basic users: 400 code 200),
 * 401 code 124, 404 code 3001, the 100 create+update per user per day limit and a QPS limit (429).
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { szMeetings, szTokens, szUsers } from "../db/zoom-schema";
import { bumpZoom, zoomDb, zoomError, zoomSettings } from "./store";
import { emitZoom } from "./webhooks";

type ZoomUser = typeof szUsers.$inferSelect;
type ZoomEnv = AppEnv & { Variables: AppEnv["Variables"] & { zoomUser: ZoomUser } };
type Meeting = typeof szMeetings.$inferSelect;
const DAILY_WRITES = 100;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

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
    const { qpsLimit } = await zoomSettings(db);
    if ((await bumpZoom(db, `qps:${user.accountId}:${Math.floor(Date.now() / 1000)}`)) > qpsLimit) {
      c.header("X-RateLimit-Type", "QPS");
      c.header("Retry-After", "1");
      return zoomError(
        c,
        429,
        429,
        "You have reached the maximum per-second rate limit for this API. Try again later.",
      );
    }
    c.header("x-zm-trackingid", `v=2.0;clid=sandbox;rid=${crypto.randomUUID()}`);
    c.set("zoomUser", user);
    await next();
  });

/** Meeting ids arrive as numbers; UUIDs may arrive once or twice percent-encoded. */
const decodeUuid = (raw: string) => {
  const once = decodeURIComponent(raw);
  return once.includes("%") ? decodeURIComponent(once) : once;
};

function meetingJson(env: Env, m: Meeting, host: ZoomUser) {
  return {
    id: Number(m.id),
    uuid: m.uuid,
    host_id: host.id,
    host_email: host.email,
    topic: m.topic,
    type: 2,
    status: m.status === "started" ? "started" : "waiting",
    start_time: iso(m.startTime),
    duration: m.duration,
    timezone: m.timezone,
    agenda: m.agenda,
    created_at: iso(m.createdAt),
    start_url: `${env.APP_URL}/sandbox/zoom/s/${m.id}?zak=${crypto.randomUUID()}&expires=${Date.now() + 2 * 3_600_000}`,
    join_url: `${env.APP_URL}/sandbox/zoom/j/${m.id}?pwd=${m.password}`,
    password: m.password,
    settings: {
      waiting_room: true,
      join_before_host: false,
      approval_type: 2,
      email_notification: false,
    },
  };
}

async function ownMeeting(env: Env, userId: string, id: string) {
  const m = await zoomDb(env).query.szMeetings.findFirst({ where: eq(szMeetings.id, id) });
  return m && m.userId === userId && m.status !== "deleted" ? m : undefined;
}

async function spendDailyWrite(db: ReturnType<typeof zoomDb>, userId: string) {
  return (
    (await bumpZoom(db, `daily:${userId}:${new Date().toISOString().slice(0, 10)}`)) <= DAILY_WRITES
  );
}
const dailyLimited = (c: Parameters<typeof zoomError>[0]) => {
  c.header("X-RateLimit-Type", "Daily-limit");
  c.header("Retry-After", new Date(new Date().setUTCHours(24, 0, 0, 0)).toISOString());
  return zoomError(
    c,
    429,
    429,
    "You have reached the maximum daily rate limit for this API. Try again later.",
  );
};

export const zoomApi = new Hono<ZoomEnv>()
  .use(bearer())
  .get("/users/me", (c) => {
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
  .post("/users/me/meetings", async (c) => {
    const body = (await c.req.json().catch(() => null)) as {
      topic?: string;
      type?: number;
      start_time?: string;
      duration?: number;
      timezone?: string;
      agenda?: string;
    } | null;
    if (!body?.topic || body.topic.length > 200)
      return zoomError(c, 400, 300, "Validation Failed: topic.");
    if (body.type === 2 && !body.start_time)
      return zoomError(
        c,
        400,
        300,
        "Validation Failed: start_time is required for scheduled meetings.",
      );
    const db = zoomDb(c.env);
    if (!(await spendDailyWrite(db, c.var.zoomUser.id))) return dailyLimited(c);
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const meeting: Meeting = {
      id: String(80_000_000_000 + Math.floor(Math.random() * 9_999_999_999)),
      uuid: btoa(String.fromCharCode(...bytes)),
      userId: c.var.zoomUser.id,
      topic: body.topic,
      startTime: Date.parse(body.start_time ?? new Date().toISOString()),
      duration: body.duration ?? 30,
      timezone: body.timezone ?? c.var.zoomUser.timezone,
      agenda: body.agenda ?? "",
      password: Math.random().toString(36).slice(2, 10),
      status: "waiting",
      participants: [],
      createdAt: Date.now(),
    };
    await db.insert(szMeetings).values(meeting);
    return c.json(meetingJson(c.env, meeting, c.var.zoomUser), 201);
  })
  .get("/meetings/:id", async (c) => {
    const m = await ownMeeting(c.env, c.var.zoomUser.id, c.req.param("id"));
    return m
      ? c.json(meetingJson(c.env, m, c.var.zoomUser))
      : zoomError(c, 404, 3001, `Meeting does not exist: ${c.req.param("id")}.`);
  })
  .patch("/meetings/:id", async (c) => {
    const m = await ownMeeting(c.env, c.var.zoomUser.id, c.req.param("id"));
    if (!m) return zoomError(c, 404, 3001, `Meeting does not exist: ${c.req.param("id")}.`);
    const body = (await c.req.json().catch(() => ({}))) as {
      topic?: string;
      start_time?: string;
      duration?: number;
      agenda?: string;
    };
    const db = zoomDb(c.env);
    if (!(await spendDailyWrite(db, c.var.zoomUser.id))) return dailyLimited(c);
    await db
      .update(szMeetings)
      .set({
        topic: body.topic ?? m.topic,
        startTime: body.start_time ? Date.parse(body.start_time) : m.startTime,
        duration: body.duration ?? m.duration,
        agenda: body.agenda ?? m.agenda,
      })
      .where(eq(szMeetings.id, m.id));
    return c.body(null, 204);
  })
  .delete("/meetings/:id", async (c) => {
    const m = await ownMeeting(c.env, c.var.zoomUser.id, c.req.param("id"));
    if (!m) return zoomError(c, 404, 3001, `Meeting does not exist: ${c.req.param("id")}.`);
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
            object: { id: Number(m.id), uuid: m.uuid, host_id: u.id, topic: m.topic, type: 2 },
          },
        },
      ]),
    );
    return c.body(null, 204);
  })
  .get("/past_meetings/:uuid/participants", async (c) => {
    if (c.var.zoomUser.type === 1)
      return zoomError(c, 400, 200, `Only available for paid account: ${c.var.zoomUser.id}`);
    const uuid = decodeUuid(c.req.param("uuid"));
    const m = await zoomDb(c.env).query.szMeetings.findFirst({ where: eq(szMeetings.uuid, uuid) });
    if (!m || m.userId !== c.var.zoomUser.id || m.status !== "ended")
      return zoomError(c, 404, 3001, "Meeting does not exist.");
    return c.json({
      page_count: 1,
      page_size: 300,
      total_records: m.participants.length,
      next_page_token: "",
      participants: m.participants,
    });
  })
  .get("/past_meetings/:uuid", async (c) => {
    const uuid = decodeUuid(c.req.param("uuid"));
    const m = await zoomDb(c.env).query.szMeetings.findFirst({ where: eq(szMeetings.uuid, uuid) });
    if (!m || m.userId !== c.var.zoomUser.id || m.status !== "ended")
      return zoomError(c, 404, 3001, "Meeting does not exist.");
    return c.json({
      id: Number(m.id),
      uuid: m.uuid,
      start_time: iso(m.startTime),
      end_time: iso(m.startTime + m.duration * 60_000),
      duration: m.duration,
      participants_count: m.participants.length,
      total_minutes: m.duration,
    });
  });
