/** Applying a verified token: shared by POST /u/{token} and the mailto twin (../email-handler.ts). */
import type { Database } from "../../db/client";
import { log } from "../../lib/log";
import { preferenceById, updatePreference } from "./store";
import { readUnsubscribeToken } from "./tokens";

/** The row and category a token names (null: malformed, forged or the row is gone). */
export async function resolveToken(db: Database, secret: string, token: string) {
  const read = await readUnsubscribeToken(secret, token);
  if (!read) return null;
  const pref = await preferenceById(db, read.preferenceId);
  return pref ? { pref, category: read.category } : null;
}

/** Stops that one category for that one coach's client, at once. */
export async function applyUnsubscribe(db: Database, secret: string, token: string) {
  const found = await resolveToken(db, secret, token);
  if (!found) return null;
  const change = found.category === "reminders" ? { reminders: false } : { followUps: false };
  await updatePreference(db, found.pref, change);
  log.info("notifications.unsubscribed", { coachId: found.pref.coachId, category: found.category });
  return found;
}
