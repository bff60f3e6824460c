/**
 * CSRF beyond SameSite=Lax: every state-changing request to the app's own routes (any method but
 * GET/HEAD/OPTIONS) and every WebSocket upgrade must come from Kairos's own pages. Browsers send
 * `Origin` on all of them (and `Sec-Fetch-Site`), so a page elsewhere — a sibling subdomain that
 * Lax treats as same-site included — is refused with 403. A request with neither header is not
 * from a browser (curl, a test, a server) and cannot ride a victim's cookie, so it passes.
 *
 * Hono's csrf() is not enough here: it checks only form-like content types (JSON passes
 * unchecked) and never looks at WebSocket upgrades, which are GETs.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deploymentOf } from "../config-guard";
import type { AppEnv } from "../env";
import { AppError } from "./errors";

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * APP_URL's origin, and the request's own (the same host reached by another name). On a local
 * deployment a loopback origin on another port too: the Vite dev server (:5173) proxies to the
 * worker (:8787).
 */
function isOwnOrigin(c: Context<AppEnv>, origin: string) {
  if (origin === originOf(c.env.APP_URL) || origin === new URL(c.req.url).origin) return true;
  if (deploymentOf(c.env) !== "local") return false;
  return originOf(origin) !== null && LOOPBACK.has(new URL(origin).hostname);
}

function fromOwnPages(c: Context<AppEnv>) {
  const origin = c.req.header("origin");
  if (origin !== undefined) return isOwnOrigin(c, origin);
  const site = c.req.header("sec-fetch-site");
  return site === undefined || site === "same-origin" || site === "none";
}

export function sameOriginOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
    if ((upgrade || !SAFE_METHOD.test(c.req.method)) && !fromOwnPages(c)) {
      throw new AppError("forbidden", "This request must come from the Kairos app itself.", {
        internal: { origin: c.req.header("origin"), secFetchSite: c.req.header("sec-fetch-site") },
      });
    }
    await next();
  };
}
