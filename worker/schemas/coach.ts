import { z } from "@hono/zod-openapi";
import { CONNECTION_STATUSES, PROVIDERS, WEBHOOK_AVAILABILITY } from "../db/schema";

export const Connection = z
  .object({
    provider: z.enum(PROVIDERS),
    status: z.enum(CONNECTION_STATUSES),
    scopes: z.array(z.string()),
    missingScopes: z.array(z.string()).openapi({
      description: "Permissions Kairos needs that the grant lacks (reconnect to grant them)",
    }),
    accessExpiresAt: z.string().nullable(),
    lastRefreshedAt: z.string().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: "The last problem, in plain words (null when all is well)" }),
    lastErrorAt: z.string().nullable(),
    breaker: z.enum(["closed", "open", "half_open"]).openapi({
      description: "Circuit breaker for this upstream: open = calls fail fast until retryAt",
    }),
    retryAt: z
      .string()
      .nullable()
      .openapi({ description: "While degraded: when Kairos will call the upstream again" }),
    webhooks: z.enum(WEBHOOK_AVAILABILITY).nullable().openapi({
      description:
        "Calendly only: `unavailable_on_plan` when the coach's plan refuses webhooks (Kairos then reconciles every 15 minutes); null for other providers",
    }),
    plan: z.enum(["basic", "licensed", "other"]).nullable().openapi({
      description:
        "Zoom only: the host's plan (`basic` hosts have no participants report, so attendance comes from webhooks alone); null otherwise",
    }),
  })
  .openapi("Connection");

export const ConnectionList = z.object({ items: z.array(Connection) }).openapi("ConnectionList");

export const Coach = z
  .object({
    id: z.string().openapi({ example: "coa_3kq0d9…" }),
    name: z.string(),
    email: z.string(),
    timeZone: z.string().openapi({ example: "America/New_York" }),
    slug: z.string().openapi({ description: "The public booking slug: /book/<slug>" }),
    slugNotice: z.string().nullable().openapi({
      description: "Set when another coach already had Calendly's slug, so this one is suffixed",
    }),
    calendlyUserUri: z.string(),
    connections: z.array(Connection),
  })
  .openapi("Coach");

export const EventType = z
  .object({
    id: z.string(),
    calendlyUri: z.string(),
    name: z.string(),
    slug: z.string().nullable(),
    durationMinutes: z.number().int(),
    kind: z.string(),
    active: z.boolean(),
    secret: z.boolean(),
    color: z.string().nullable(),
    schedulingUrl: z.string(),
    beforeBuffer: z.number().int().openapi({ description: "Minutes kept free before a booking" }),
    afterBuffer: z.number().int().openapi({ description: "Minutes kept free after a booking" }),
    description: z.string().nullable(),
  })
  .openapi("EventType");

export const EventTypeList = z
  .object({ items: z.array(EventType), syncedAt: z.string().nullable() })
  .openapi("EventTypeList");
