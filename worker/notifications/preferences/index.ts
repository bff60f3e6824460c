/**
 * The delivery checks the pipeline calls (notifications/deliver.ts):
 * - `deliveryBlock`: may this message go to this address? A suppressed address (hard bounce,
 *   complaint) gets nothing, transactional included; otherwise transactional always goes, and
 *   reminders / follow-ups honour the client's choices (absent row: on; SMS: opt-in only).
 * - `unsubscribeHeaders`: List-Unsubscribe (https + mailto) and List-Unsubscribe-Post (RFC 8058) for
 *   optional mail; the https link is /u/{token}, answered by routes/unsubscribe.ts.
 */
import { createDb } from "../../db/client";
import type { CoachScope } from "../../env";
import type { NotificationCategory } from "../kinds";
import { emailFrom } from "../transport";
import { ensurePreference, findPreference, suppressionOf } from "./store";
import { issueUnsubscribeToken } from "./tokens";

export type DeliveryChannel = "email" | "sms";
export type BlockReason =
  | "unsubscribed"
  | "suppressed_bounce"
  | "suppressed_complaint"
  | "sms_not_opted_in";

export async function deliveryBlock(
  scope: CoachScope,
  to: { email: string; category: NotificationCategory; channel: DeliveryChannel },
): Promise<null | { reason: BlockReason }> {
  if (to.channel === "email") {
    const suppressed = await suppressionOf(scope.db, to.email);
    if (suppressed)
      return {
        reason: suppressed.reason === "complaint" ? "suppressed_complaint" : "suppressed_bounce",
      };
  }
  const pref = await findPreference(scope, to.email);
  if (to.channel === "sms") {
    // SMS is opt-in only, for reminders, to the number the client gave (E.164).
    if (to.category !== "reminders" || !pref?.smsReminders || !pref.phone)
      return { reason: "sms_not_opted_in" };
    return null;
  }
  if (to.category === "transactional" || !pref) return null;
  if (to.category === "reminders" && !pref.reminders) return { reason: "unsubscribed" };
  if (to.category === "follow_ups" && !pref.followUps) return { reason: "unsubscribed" };
  return null;
}

/** The address part of EMAIL_FROM ("Name <a@b>" or "a@b"). */
const senderDomain = (env: Env) => {
  const from = emailFrom(env);
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split("@")[1]?.trim() || null;
};

/** The token for this coach + client + category (creates the client's preference row once). */
export async function unsubscribeToken(
  env: Env,
  to: { coachId: string; email: string; category: "reminders" | "follow_ups" },
) {
  const scope = { db: createDb(env.DB), coachId: to.coachId };
  const pref = await ensurePreference(scope, to.email);
  return issueUnsubscribeToken(env.SESSION_SECRET, pref.id, to.category);
}

export const unsubscribeUrl = (env: Env, token: string) =>
  new URL(`/u/${token}`, env.APP_URL).toString();
export const preferencesUrl = (env: Env, token: string) =>
  new URL(`/preferences/${token}`, env.APP_URL).toString();

export async function unsubscribeHeaders(
  env: Env,
  to: { coachId: string; email: string; category: NotificationCategory },
): Promise<Record<string, string>> {
  if (to.category === "transactional") return {};
  const token = await unsubscribeToken(env, { ...to, category: to.category });
  const links = [`<${unsubscribeUrl(env, token)}>`];
  const domain = senderDomain(env);
  // The mailto twin reaches the worker's email() handler through Email Routing on that domain.
  if (domain) links.push(`<mailto:u+${token}@${domain}?subject=unsubscribe>`);
  return {
    "List-Unsubscribe": links.join(", "),
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
