/**
 * The client's links in optional mail (no login; the signed token alone decides):
 * - POST /u/{token}: RFC 8058 one-click unsubscribe — mailbox providers post
 *   "List-Unsubscribe=One-Click" without cookies; 200 at once, that category stops.
 * - GET /u/{token}: a confirmation page whose button posts — never unsubscribes on GET (mail
 *   scanners prefetch links).
 * - GET/POST /preferences/{token}: the preference centre (reminders, follow-ups, SMS opt-in); its
 *   form is same-origin checked (lib/same-origin.ts).
 * Tokens are bounded (tokens.ts MAX_TOKEN_LENGTH); an invalid one is a 404 page, never a 5xx.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCoach } from "../db/coaches";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { sameOriginOnly } from "../lib/same-origin";
import { preferencesUrl } from "../notifications/preferences";
import {
  confirmUnsubscribePage,
  invalidLinkPage,
  PAGE_CSP,
  preferencesPage,
  unsubscribedPage,
} from "../notifications/preferences/pages";
import { type PreferenceChoices, updatePreference } from "../notifications/preferences/store";
import { applyUnsubscribe, resolveToken } from "../notifications/preferences/unsubscribe";

const MAX_FORM_BYTES = 4 * 1024;
const formLimit = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: () => {
    throw new AppError("payload_too_large", `Form bodies are limited to ${MAX_FORM_BYTES} bytes.`);
  },
});
/** E.164: "+", country code, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

const html = (c: Context<AppEnv>, body: string, status: 200 | 400 | 404 = 200) =>
  c.body(body, status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": PAGE_CSP,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
  });

const coachName = async (c: Context<AppEnv>, coachId: string) =>
  (await getCoach(c.var.db, coachId))?.name ?? "your coach";

export const unsubscribeRoutes = new Hono<AppEnv>()
  .get("/:token", async (c) => {
    const token = c.req.param("token");
    const found = await resolveToken(c.var.db, c.env.SESSION_SECRET, token);
    if (!found) return html(c, invalidLinkPage(), 404);
    return html(
      c,
      confirmUnsubscribePage({
        coachName: await coachName(c, found.pref.coachId),
        category: found.category,
        preferencesUrl: preferencesUrl(c.env, token),
      }),
    );
  })
  .post("/:token", formLimit, async (c) => {
    const token = c.req.param("token");
    const found = await applyUnsubscribe(c.var.db, c.env.SESSION_SECRET, token);
    if (!found) return html(c, invalidLinkPage(), 404);
    return html(
      c,
      unsubscribedPage({
        coachName: await coachName(c, found.pref.coachId),
        category: found.category,
        preferencesUrl: preferencesUrl(c.env, token),
      }),
    );
  });

export const preferencesRoutes = new Hono<AppEnv>()
  .use(sameOriginOnly())
  .get("/:token", async (c) => {
    const found = await resolveToken(c.var.db, c.env.SESSION_SECRET, c.req.param("token"));
    if (!found) return html(c, invalidLinkPage(), 404);
    return html(
      c,
      preferencesPage({ coachName: await coachName(c, found.pref.coachId), pref: found.pref }),
    );
  })
  .post("/:token", formLimit, async (c) => {
    const found = await resolveToken(c.var.db, c.env.SESSION_SECRET, c.req.param("token"));
    if (!found) return html(c, invalidLinkPage(), 404);
    const name = await coachName(c, found.pref.coachId);
    let form: Record<string, string | File>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new AppError("bad_request", "Send the preferences as a form.");
    }
    const on = (key: string) => form[key] === "on";
    const phone = typeof form.phone === "string" ? form.phone.replace(/[\s()-]/g, "") : "";
    const choices: PreferenceChoices = {
      reminders: on("reminders"),
      followUps: on("follow_ups"),
      smsReminders: on("sms_reminders"),
      phone: phone || null,
    };
    if (phone && !E164.test(phone)) {
      const error = "Enter the mobile number in international format, e.g. +14155550123.";
      return html(
        c,
        preferencesPage({ coachName: name, pref: { ...found.pref, ...choices }, error }),
        400,
      );
    }
    if (choices.smsReminders && !choices.phone) {
      const error = "Add a mobile number to get reminders by SMS.";
      return html(
        c,
        preferencesPage({ coachName: name, pref: { ...found.pref, ...choices }, error }),
        400,
      );
    }
    await updatePreference(c.var.db, found.pref, choices);
    return html(
      c,
      preferencesPage({ coachName: name, pref: { ...found.pref, ...choices }, saved: true }),
    );
  });
