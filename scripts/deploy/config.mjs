/**
 * What a production Kairos needs, in one list: docs/deployment.md's configuration table and this
 * list are checked against each other and against the code by test/tools/configuration.test.ts.
 * `ask` values come from flags, a --values file or a prompt; `generate` ones are made when absent.
 */
import { randomBytes } from "node:crypto";

export const PRODUCTION_SECRETS = [
  { name: "CALENDLY_CLIENT_ID", ask: "Calendly OAuth app: client id" },
  { name: "CALENDLY_CLIENT_SECRET", ask: "Calendly OAuth app: client secret" },
  { name: "CALENDLY_WEBHOOK_SIGNING_KEY", ask: "Calendly OAuth app: webhook signing key" },
  {
    name: "ZOOM_CLIENT_ID",
    ask: "Zoom app: client id (leave empty until you connect Zoom)",
    optional: true,
  },
  {
    name: "ZOOM_CLIENT_SECRET",
    ask: "Zoom app: client secret (leave empty until you connect Zoom)",
    optional: true,
  },
  {
    name: "ZOOM_WEBHOOK_SECRET_TOKEN",
    ask: "Zoom app: webhook secret token (leave empty until you connect Zoom)",
    optional: true,
    // Until a Zoom app exists nobody can sign for it, so an unguessable token refuses every post.
    generate: () => randomBytes(32).toString("hex"),
  },
  { name: "TURNSTILE_SECRET_KEY", ask: "Cloudflare Turnstile: secret key" },
  {
    name: "RESEND_API_KEY",
    ask: "Resend API key (leave empty: production sends through Cloudflare Email Service)",
    optional: true,
  },
  {
    name: "RESEND_WEBHOOK_SECRET",
    ask: "Resend webhook signing secret, whsec_… (leave empty unless you send through Resend)",
    optional: true,
  },
  { name: "TWILIO_ACCOUNT_SID", ask: "Twilio account SID (leave empty: no SMS)", optional: true },
  { name: "TWILIO_AUTH_TOKEN", ask: "Twilio auth token (leave empty: no SMS)", optional: true },
  { name: "ENCRYPTION_KEYS", generate: () => `v1:${randomBytes(32).toString("base64")}` },
  { name: "SESSION_SECRET", generate: () => randomBytes(48).toString("base64url") },
];

export const PRODUCTION_VARS = [
  { name: "APP_URL" }, // https://<host>, from --host (or asked)
  { name: "TURNSTILE_SITE_KEY", ask: "Cloudflare Turnstile: site key" },
  { name: "ADMIN_EMAILS", ask: "Operator emails for /admin, comma-separated", optional: true },
  // Production's /admin is behind Cloudflare Access: without both, nobody gets in (fail closed).
  {
    name: "ACCESS_TEAM_DOMAIN",
    ask: "Cloudflare Access team domain for /admin (<team>.cloudflareaccess.com)",
    optional: true,
  },
  {
    name: "ACCESS_AUD",
    ask: "Cloudflare Access application audience (AUD) tag for /admin",
    optional: true,
  },
];

export const QUEUES = ["webhook-events", "jobs", "notifications", "dead-letters", "email-events"];
export const D1_NAME = "kairos";
export const KV_TITLE = "kairos-availability-cache";
export const PRODUCTION_WORKER = "kairos";
