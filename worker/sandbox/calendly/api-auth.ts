/**
 * Bearer-token check, the per-user rate budget and the scope check of the fake Calendly: 401 for
 * unknown, revoked or expired tokens; `X-RateLimit-*` on every response; 429 once the configured
 * budget per minute is spent (reset in seconds, as Calendly reports it); 403 "Insufficient scope"
 * when the token was not granted what the endpoint needs (./scopes.ts).
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { sbTokens, sbUsers } from "../db/schema";
import { getPlan, requestsPerMinute } from "./plans";
import { missingScopes, parseScopes, requiredScopes, webhookEventScopes } from "./scopes";
import { apiError, bump, getSettings, sandboxDb } from "./store";

export type SandboxUser = typeof sbUsers.$inferSelect;
export type SandboxApiEnv = AppEnv & { Variables: AppEnv["Variables"] & { user: SandboxUser } };

export const bearerUser = () =>
  createMiddleware<SandboxApiEnv>(async (c, next) => {
    const db = sandboxDb(c.env);
    const token = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
    const row = token
      ? await db.query.sbTokens.findFirst({ where: eq(sbTokens.token, token) })
      : undefined;
    if (!row || row.kind !== "access" || row.revoked) {
      return apiError(c, 401, "Unauthenticated", "The access token is invalid");
    }
    if (row.expiresAt && row.expiresAt < Date.now()) {
      return apiError(c, 401, "Unauthenticated", "The access token is expired");
    }
    const user = await db.query.sbUsers.findFirst({ where: eq(sbUsers.id, row.userId) });
    if (!user) return apiError(c, 401, "Unauthenticated", "The access token is invalid");

    // The configured budget, capped by the user's plan (Free: 50 a minute; plans.ts).
    const rateLimitPerMinute = Math.min(
      (await getSettings(db)).rateLimitPerMinute,
      requestsPerMinute(await getPlan(db, user.id)),
    );
    const minute = Math.floor(Date.now() / 60_000);
    const used = await bump(db, `rate:${user.id}:${minute}`);
    const reset = String(Math.max(1, Math.ceil(((minute + 1) * 60_000 - Date.now()) / 1000)));
    c.header("X-RateLimit-Limit", String(rateLimitPerMinute));
    c.header("X-RateLimit-Remaining", String(Math.max(0, rateLimitPerMinute - used)));
    c.header("X-RateLimit-Reset", reset);
    if (used > rateLimitPerMinute) {
      return apiError(c, 429, "Too Many Requests", "You have exceeded the rate limit");
    }
    const required = await scopesOfCall(c);
    const lacking = required ? missingScopes(parseScopes(row.meta.scope), required) : null;
    if (!lacking || lacking.length) {
      const needed = lacking ?? [];
      return c.json(
        {
          title: "Insufficient scope",
          message: needed.length
            ? `This request requires the ${needed.join(", ")} scope${needed.length > 1 ? "s" : ""}.`
            : "The sandbox does not know which scope this endpoint needs (see worker/sandbox/calendly/scopes.ts).",
          required_scopes: needed,
          details: needed.map((scope) => ({ parameter: "scope", message: `${scope} is required` })),
        },
        403,
      );
    }
    c.set("user", user);
    await next();
  });

/** What this call needs: the endpoint's scopes, plus each subscribed event family's read scope. */
async function scopesOfCall(c: Context): Promise<readonly string[] | null> {
  const base = new URL(c.env.CALENDLY_API_BASE).pathname.replace(/\/$/, "");
  const path = c.req.path.startsWith(base) ? c.req.path.slice(base.length) : c.req.path;
  const scopes = requiredScopes(c.req.method, path);
  if (!scopes || c.req.method !== "POST" || path !== "/webhook_subscriptions") return scopes;
  // Hono caches the parsed body, so the route handler can still read it.
  const body = (await c.req.json().catch(() => null)) as { events?: unknown } | null;
  const names = Array.isArray(body?.events) ? body.events.filter((e) => typeof e === "string") : [];
  return [...scopes, ...webhookEventScopes(names)];
}
