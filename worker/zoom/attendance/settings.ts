/**
 * A coach's attendance rules (grace after the scheduled end, lateness, auto-confirm of proposed
 * no-shows after N hours — off by default). No row means the defaults.
 */
import { eq } from "drizzle-orm";
import { attendanceSettings } from "../../db/schema";
import type { CoachScope } from "../../env";
import { DEFAULT_RULES } from "./verdicts";

export type AttendanceSettings = {
  graceMinutes: number;
  lateMinutes: number;
  autoConfirmHours: number | null;
};

export async function getAttendanceSettings({
  db,
  coachId,
}: CoachScope): Promise<AttendanceSettings> {
  const [row] = await db
    .select()
    .from(attendanceSettings)
    .where(eq(attendanceSettings.coachId, coachId))
    .limit(1);
  return {
    graceMinutes: row?.graceMinutes ?? DEFAULT_RULES.graceMinutes,
    lateMinutes: row?.lateMinutes ?? DEFAULT_RULES.lateMinutes,
    autoConfirmHours: row?.autoConfirmHours ?? null,
  };
}

export async function saveAttendanceSettings(
  { db, coachId }: CoachScope,
  s: AttendanceSettings,
): Promise<AttendanceSettings> {
  const fields = { ...s, updatedAt: new Date() };
  await db
    .insert(attendanceSettings)
    .values({ coachId, ...fields })
    .onConflictDoUpdate({ target: attendanceSettings.coachId, set: fields });
  return s;
}
