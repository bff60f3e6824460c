/**
 * 5-minute fan-outs of attendance work (cron/fan-out.ts): instances whose participants report is
 * due (`attendance.read_report`), and proposed no-shows whose auto-confirm time came
 * (`attendance.auto_confirm`). Each page is claimed in one UPDATE … RETURNING — a report claim
 * pushes `report_due_at` a lease ahead (a crashed job's claim lapses and is retried), an auto-confirm
 * claim clears `auto_confirm_at` — and enqueued with one `sendBatch`.
 */
import { sql } from "drizzle-orm";
import { FAN_OUT_PAGE, fanOut } from "../../cron/fan-out";
import { createDb } from "../../db/client";

const LEASE_MS = 10 * 60_000;
const MAX_PAGES = 20;

export async function fanOutDueAttendanceReports(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const t = now.getTime();
  return fanOut(env, { task: "attendance_reports", maxPages: MAX_PAGES }, async () => {
    const claimed = await db.all<{ uuid: string; coachId: string }>(sql`
      update zoom_meeting_instances set report_due_at = ${t + LEASE_MS}
        where uuid in (select uuid from zoom_meeting_instances
          where report_due_at is not null and report_due_at <= ${t} limit ${FAN_OUT_PAGE})
        returning uuid, coach_id as coachId`);
    return {
      jobs: claimed.map((r) => ({
        type: "attendance.read_report" as const,
        coachId: r.coachId,
        uuid: r.uuid,
      })),
      next: claimed.length === FAN_OUT_PAGE ? "due" : null,
    };
  });
}

export async function fanOutDueAutoConfirms(env: Env, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const t = now.getTime();
  return fanOut(env, { task: "attendance_auto_confirms", maxPages: MAX_PAGES }, async () => {
    const claimed = await db.all<{ inviteeId: string; coachId: string; sessionId: string }>(sql`
      update attendance_reviews set auto_confirm_at = null
        where invitee_id in (select invitee_id from attendance_reviews
          where auto_confirm_at is not null and auto_confirm_at <= ${t} and state = 'proposed'
          limit ${FAN_OUT_PAGE})
        returning invitee_id as inviteeId, coach_id as coachId, session_id as sessionId`);
    return {
      jobs: claimed.map((r) => ({
        type: "attendance.auto_confirm" as const,
        coachId: r.coachId,
        sessionId: r.sessionId,
        inviteeId: r.inviteeId,
      })),
      next: claimed.length === FAN_OUT_PAGE ? "due" : null,
    };
  });
}
