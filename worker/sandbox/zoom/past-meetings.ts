/**
 * `GET /past_meetings/{uuid}` and `/past_meetings/{uuid}/participants` (contract §5), answered from
 * the timeline a simulation played (scenarios.ts), so the report agrees with the webhooks. The path
 * is read raw to decode UUIDs exactly as Zoom does (uuids.ts); a numeric meeting id means the latest
 * ended instance. Participants: paid hosts only (400 code 200), Medium label, paged, and 404 3001
 * until the report is published (`participantsReportDelaySeconds` after the end).
 */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Context } from "hono";
import { szInstances, szMeetings } from "../db/zoom-schema";
import { overLimit } from "./limits";
import { page, pageOffset, pageSize } from "./paging";
import { type ZoomDb, type ZoomEnv, zoomDb, zoomError, zoomValidation } from "./store";
import { zoomIso } from "./times";
import { uuidFromPathSegment } from "./uuids";

async function endedInstance(db: ZoomDb, userId: string, idOrUuid: string) {
  const instance = /^\d+$/.test(idOrUuid)
    ? await db.query.szInstances.findFirst({
        where: and(eq(szInstances.meetingId, idOrUuid), isNotNull(szInstances.endedAt)),
        orderBy: desc(szInstances.createdAt),
      })
    : await db.query.szInstances.findFirst({ where: eq(szInstances.uuid, idOrUuid) });
  if (!instance || instance.endedAt === null || instance.startedAt === null) return undefined;
  const meeting = await db.query.szMeetings.findFirst({
    where: eq(szMeetings.id, instance.meetingId),
  });
  return meeting && meeting.userId === userId ? { instance, meeting } : undefined;
}

export async function pastMeetingRoute(c: Context<ZoomEnv>) {
  const path = new URL(c.req.url).pathname;
  const match = /\/past_meetings\/(.*?)(\/participants)?$/.exec(path);
  const raw = match?.[1] ?? "";
  const participants = Boolean(match?.[2]);
  const limited = await overLimit(c, participants ? "Medium" : "Light");
  if (limited) return limited;
  const user = c.var.zoomUser;
  if (participants && user.type === 1)
    return zoomError(c, 400, 200, `Only available for paid account: ${user.accountId}`);
  const idOrUuid = uuidFromPathSegment(raw);
  const db = zoomDb(c.env);
  const found = idOrUuid ? await endedInstance(db, user.id, idOrUuid) : undefined;
  const notFound = () => zoomError(c, 404, 3001, `Meeting does not exist: ${raw}.`);
  if (!found) return notFound();
  const { instance, meeting } = found;
  const startedAt = instance.startedAt ?? 0;
  const endedAt = instance.endedAt ?? 0;
  const inMeeting = instance.participants.filter((p) => p.status === "in_meeting");

  if (!participants) {
    return c.json({
      uuid: instance.uuid,
      id: Number(meeting.id),
      host_id: user.id,
      type: 2,
      topic: meeting.topic,
      user_name: user.displayName,
      user_email: user.email,
      start_time: zoomIso(startedAt),
      end_time: zoomIso(endedAt),
      duration: Math.round((endedAt - startedAt) / 60_000), // MINUTES here
      total_minutes: Math.round(inMeeting.reduce((sum, p) => sum + p.duration, 0) / 60),
      participants_count: inMeeting.length,
      source: "Zoom",
      dept: "",
    });
  }
  if ((instance.reportAt ?? 0) > Date.now()) return notFound(); // not published yet
  const size = pageSize(c.req.query("page_size"));
  const offset = pageOffset(c.req.query("next_page_token"));
  if (size === null)
    return zoomValidation(c, [{ field: "page_size", message: "Invalid page_size." }]);
  if (offset === null)
    return zoomValidation(c, [{ field: "next_page_token", message: "Invalid next_page_token." }]);
  const { items, ...paging } = page(instance.participants, size, offset);
  return c.json({ ...paging, participants: items });
}
