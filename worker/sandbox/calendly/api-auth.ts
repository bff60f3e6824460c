/**
 * Bearer-token check and the per-user rate budget of the fake Calendly: 401 for unknown, revoked or
 * expired tokens; `X-RateLimit-*` on every response; 429 once the configured budget per minute is
 * spent (reset in seconds, as Calendly reports it).
 */
import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { sbTokens, sbUsers } from "../db/schema";
import { getPlan, requestsPerMinute } from "./plans";
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
    c.set("user", user);
    await next();
  });
