/**
 * The small server-rendered pages behind /u/{token} and /preferences/{token}: no script, one inline
 * stylesheet, forms that post back to the same URL. Every interpolated value is escaped.
 */
import type { Preference } from "./store";
import type { UnsubscribeCategory } from "./tokens";

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** No script at all; forms may only post to us; nobody frames these pages. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const CATEGORY_LABEL: Record<UnsubscribeCategory, string> = {
  reminders: "session reminders",
  follow_ups: "follow-ups after sessions",
};

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2933}button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid #52606d;background:#1f2933;color:#fff;cursor:pointer}label{display:block;margin:.5rem 0}input[type=tel]{font:inherit;padding:.25rem .5rem}.muted{color:#52606d;font-size:.9rem}.error{color:#b42318}</style></head><body><main>${body}</main></body></html>`;
}

export function confirmUnsubscribePage(o: {
  coachName: string;
  category: UnsubscribeCategory;
  preferencesUrl: string;
}) {
  const what = CATEGORY_LABEL[o.category];
  return page(
    "Unsubscribe",
    `<h1>Stop ${escapeHtml(what)}?</h1><p>You will no longer receive ${escapeHtml(what)} from ${escapeHtml(o.coachName)}. Confirmations and changes to sessions you booked still reach you.</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form><p class="muted"><a href="${escapeHtml(o.preferencesUrl)}">Choose what you receive instead</a></p>`,
  );
}

export function unsubscribedPage(o: {
  coachName: string;
  category: UnsubscribeCategory;
  preferencesUrl: string;
}) {
  const what = CATEGORY_LABEL[o.category];
  return page(
    "Unsubscribed",
    `<h1>You are unsubscribed</h1><p>${escapeHtml(o.coachName)} will send you no more ${escapeHtml(what)}.</p><p class="muted"><a href="${escapeHtml(o.preferencesUrl)}">Change your choices</a></p>`,
  );
}

export function preferencesPage(o: {
  coachName: string;
  pref: Preference;
  saved?: boolean;
  error?: string;
}) {
  const checked = (on: boolean) => (on ? " checked" : "");
  const notice = o.error
    ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>`
    : o.saved
      ? `<p role="status">Saved.</p>`
      : "";
  return page(
    "Your message choices",
    `<h1>Messages from ${escapeHtml(o.coachName)}</h1>${notice}<form method="post"><fieldset><legend>By e-mail</legend><label><input type="checkbox" name="reminders" value="on"${checked(o.pref.reminders)}> Session reminders</label><label><input type="checkbox" name="follow_ups" value="on"${checked(o.pref.followUps)}> Follow-ups after sessions</label></fieldset><fieldset><legend>By text message (SMS)</legend><label><input type="checkbox" name="sms_reminders" value="on"${checked(o.pref.smsReminders)}> Session reminders by SMS</label><label>Mobile number (international format, e.g. +14155550123) <input type="tel" name="phone" maxlength="16" value="${escapeHtml(o.pref.phone ?? "")}"></label></fieldset><p><button type="submit">Save</button></p></form><p class="muted">Confirmations and changes to sessions you booked are always sent. Kairos sends no marketing.</p>`,
  );
}

export const invalidLinkPage = () =>
  page(
    "Link not valid",
    `<h1>This link is not valid</h1><p>It may be incomplete. Use the link in the most recent message you received.</p>`,
  );
