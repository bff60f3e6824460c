/**
 * The exact values to paste into Calendly's, Zoom's and Cloudflare Turnstile's consoles for a host.
 * Calendly's scopes are read from worker/calendly/oauth.ts, the one list the sign-in asks for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function calendlyScopes(root) {
  const source = readFileSync(join(root, "worker/calendly/oauth.ts"), "utf8");
  const list = source.match(/CALENDLY_SCOPES\s*=\s*\[([^\]]*)\]/);
  if (list) return [...list[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const single = source.match(/CALENDLY_SCOPES\s*=\s*"([^"]*)"/);
  return single ? single[1].split(/\s+/).filter(Boolean) : [];
}

export function printConsoleValues(host, root, log = console.log) {
  const origin = `https://${host}`;
  log(`
Paste into the consoles:

  Calendly (developer.calendly.com → your OAuth app)
    Redirect URI ........ ${origin}/oauth/calendly/callback
    Scopes .............. ${calendlyScopes(root).join(" ")}
    Webhook signing key . copy it into CALENDLY_WEBHOOK_SIGNING_KEY (Kairos creates each coach's
                          subscription itself, to ${origin}/webhooks/calendly/<subscription>)

  Zoom (marketplace.zoom.us → your app → Features → Event Subscriptions)
    Endpoint URL ........ ${origin}/webhooks/zoom   (Zoom validates it once; Kairos answers)
    Events .............. meeting.started, meeting.ended, meeting.participant_joined, meeting.participant_left
    Secret token ........ copy it into ZOOM_WEBHOOK_SECRET_TOKEN

  Cloudflare Turnstile (dash.cloudflare.com → Turnstile → your widget)
    Hostname ............ ${host}
    Site key / secret ... TURNSTILE_SITE_KEY (var) / TURNSTILE_SECRET_KEY (secret)`);
}
