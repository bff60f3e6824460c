/** GET /api/health: really touches D1 and KV; 503 names the failing check. */
import { createRoute, z } from "@hono/zod-openapi";
import pkg from "../../package.json";
import { deploymentOf, isSandbox } from "../config-guard";
import { json } from "../schemas/common";

import { apiRoutes } from "./factory";

const Check = z.enum(["ok", "fail"]);
const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    sandbox: z.boolean(),
    /** A deliberately public demo: nothing reaches a real Calendly, and every page says so. */
    publicDemo: z.boolean(),
    checks: z.object({ db: Check, kv: Check }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["System"],
  summary: "Liveness and dependency check",
  responses: { 200: json(Health, "All checks pass"), 503: json(Health, "A check failed") },
});

const probe = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
    return "ok" as const;
  } catch {
    return "fail" as const;
  }
};

export const healthRoutes = apiRoutes().openapi(route, async (c) => {
  const [db, kv] = await Promise.all([
    probe(() => c.env.DB.prepare("select 1").first()),
    probe(() => c.env.AVAILABILITY_CACHE.get("health:probe")),
  ]);
  const ok = db === "ok" && kv === "ok";
  const body = {
    status: ok ? ("ok" as const) : ("degraded" as const),
    version: pkg.version,
    sandbox: isSandbox(c.env),
    publicDemo: isSandbox(c.env) && deploymentOf(c.env) === "public-demo",
    checks: { db, kv },
  };
  return ok ? c.json(body, 200) : c.json(body, 503);
});
