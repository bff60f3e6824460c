/**
 * The operator is a signed-in coach whose email is listed in ADMIN_EMAILS (comma-separated).
 * Used by /admin/api/*; everyone else gets 403, never a hint of what exists.
 */
import { createMiddleware } from "hono/factory";
import { getCoach } from "../db/coaches";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";

export const isOperatorEmail = (adminEmails: string, email: string) =>
  adminEmails
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .includes(email.toLowerCase());

export const requireOperator = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const coach = await getCoach(c.var.db, c.var.scope.coachId);
    if (!coach || !isOperatorEmail(c.env.ADMIN_EMAILS, coach.email)) {
      throw new AppError("forbidden", "This area is for the Kairos operator.");
    }
    await next();
  });
