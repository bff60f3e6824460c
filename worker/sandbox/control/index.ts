/** GET /sandbox: the control page (its actions call the fakes' JSON control APIs). */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { controlPage } from "./page";

export const controlRoutes = new Hono<AppEnv>().get("/", (c) => c.html(controlPage));
