/** A coach's reminder offsets (minutes before a session). No row: the defaults, 24 h and 1 h. */
import { eq } from "drizzle-orm";
import { notificationSettings } from "../db/schema";
import type { CoachScope } from "../env";

export const DEFAULT_REMINDER_OFFSETS = [1440, 60];
/** A week at most; at most four reminders a session. */
export const MAX_OFFSET_MINUTES = 7 * 1440;
export const MAX_OFFSETS = 4;

export async function reminderOffsets({ db, coachId }: CoachScope): Promise<number[]> {
  const row = await db
    .select({ offsets: notificationSettings.reminderOffsetsMinutes })
    .from(notificationSettings)
    .where(eq(notificationSettings.coachId, coachId))
    .get();
  return row?.offsets ?? DEFAULT_REMINDER_OFFSETS;
}

export async function setReminderOffsets(
  { db, coachId }: CoachScope,
  offsets: number[],
): Promise<number[]> {
  const clean = [...new Set(offsets)].sort((a, b) => b - a);
  const now = new Date();
  await db
    .insert(notificationSettings)
    .values({ coachId, reminderOffsetsMinutes: clean, updatedAt: now })
    .onConflictDoUpdate({
      target: notificationSettings.coachId,
      set: { reminderOffsetsMinutes: clean, updatedAt: now },
    });
  return clean;
}
