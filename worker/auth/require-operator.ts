/**
 * Who may use /admin/api. In production: whoever Cloudflare Access let through, proven by its
 * signed JWT (cloudflare-access.ts); no coach session is needed and ADMIN_EMAILS is not consulted.
 * Locally and in a public demo (no Access there): a signed-in coach whose email is listed in
 * ADMIN_EMAILS (comma-separated). Everyone else gets 403, never a hint of what exists.
 */
import { createMiddleware } from "hono/factory";
import { deploymentOf } from "../config-guard";
import { getCoach } from "../db/coaches";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { ACCESS_JWT_HEADER, verifyAccessJwt } from "./cloudflare-access";
import { requireCoach } from "./login-session";

export const isOperatorEmail = (adminEmails: string, email: string) =>
  adminEmails
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .includes(email.toLowerCase());

const signedInOperator = createMiddleware<AppEnv>(async (c, next) => {
  const coach = await getCoach(c.var.db, c.var.scope.coachId);
  if (!coach || !isOperatorEmail(c.env.ADMIN_EMAILS, coach.email)) {
    throw new AppError("forbidden", "This area is for the Kairos operator.");
  }
  await next();
});

export const requireOperator = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (deploymentOf(c.env) === "production") {
      await verifyAccessJwt(c.env, c.req.header(ACCESS_JWT_HEADER));
      await next();
      return;
    }
    await requireCoach()(c, async () => {
      await signedInOperator(c, next);
    });
  });
