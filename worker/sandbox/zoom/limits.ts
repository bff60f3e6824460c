/**
 * Zoom's rate limits (contract §6): per Zoom account and endpoint label, per second by plan, and per
 * day on the Free plan; the 100 meeting create+update requests per user per day sit on top (api.ts).
 * Day counters reset at 00:00 UTC, or at once through the control.
 */
import { like, or } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { szKv, type szUsers } from "../db/zoom-schema";
import { dailyLimited, qpsLimited } from "./faults";
import { bumpZoom, type ZoomDb, type ZoomEnv, zoomDb, zoomSettings } from "./store";

export type Label = "Light" | "Medium" | "Heavy";
type User = typeof szUsers.$inferSelect;

/** Per second and per day by plan; `type` 1 is Basic (Free), 2 Licensed (Pro). */
const TABLE: Record<"free" | "pro", Record<Label, { perSecond: number; perDay: number | null }>> = {
  free: {
    Light: { perSecond: 4, perDay: 6_000 },
    Medium: { perSecond: 2, perDay: 2_000 },
    Heavy: { perSecond: 1, perDay: 1_000 },
  },
  pro: {
    Light: { perSecond: 30, perDay: null },
    Medium: { perSecond: 20, perDay: null },
    Heavy: { perSecond: 10, perDay: 30_000 },
  },
};
export const limitsFor = (user: User, label: Label) =>
  TABLE[user.type === 1 ? "free" : "pro"][label];
const today = () => new Date().toISOString().slice(0, 10);

/** Counts the call against the account's label budget; Zoom's 429 when over, else null. */
export async function overLimit(c: Context<ZoomEnv>, label: Label): Promise<Response | null> {
  const db = zoomDb(c.env);
  const user = c.var.zoomUser;
  const { qpsLimit } = await zoomSettings(db);
  const { perSecond, perDay } = limitsFor(user, label);
  const second = qpsLimit ?? perSecond;
  const now = Math.floor(Date.now() / 1000);
  if ((await bumpZoom(db, `qps:${user.accountId}:${label}:${now}`)) > second)
    return qpsLimited(c, label, second);
  if (perDay !== null && (await bumpZoom(db, `day:${user.accountId}:${label}:${today()}`)) > perDay)
    return dailyLimited(c, label, perDay);
  return null;
}
export const rateLimit = (label: Label) =>
  createMiddleware<ZoomEnv>(async (c, next) => {
    const limited = await overLimit(c, label);
    if (limited) return limited;
    await next();
  });

/** The 100 create+update requests per user per day: Zoom's 429 when spent, else null. */
export const MEETING_WRITES_PER_DAY = 100;
export async function spendMeetingWrite(c: Context, db: ZoomDb, userId: string) {
  if ((await bumpZoom(db, `writes:${userId}:${today()}`)) <= MEETING_WRITES_PER_DAY) return null;
  dailyLimited(c, "Meeting", MEETING_WRITES_PER_DAY); // sets the headers on c
  return c.json(
    {
      code: 429,
      message: `You have exceeded the daily rate limit (${MEETING_WRITES_PER_DAY}) of Create/Update meeting API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.`,
    },
    429,
  );
}

/** Forgets every day counter (label budgets and meeting writes), as midnight UTC would. */
export async function resetDailyCounters(db: ZoomDb) {
  const rows = await db
    .delete(szKv)
    .where(or(like(szKv.key, "day:%"), like(szKv.key, "writes:%")))
    .returning({ key: szKv.key });
  return rows.length;
}
