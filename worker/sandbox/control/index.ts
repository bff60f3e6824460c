/** The /sandbox control page and its JSON control API. */
import { Hono } from "hono";
import type { AppEnv } from "../../env";

export const controlRoutes = new Hono<AppEnv>();
