/**
 * Fake Zoom OAuth (contract §1): authorize page (or `sandbox_user=<email>`), 5-minute single-use
 * codes with PKCE, a token endpoint that requires HTTP Basic and a form body, 1-hour access tokens,
 * refresh rotation ("Invalid Token!" for superseded ones; atomic, so one of parallel refreshes wins),
 * PKCE mismatch as `invalid_grant` (the code is spent either way), re-authorization revoking earlier
 * grants, revoke, the token faults of faults.ts, and the Marketplace's data-compliance call after
 * `app_deauthorized` (`POST /oauth/data/compliance` on the API origin, recorded for tests).
 */
import { and, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../env";
import { sha256Base64Url } from "../../lib/crypto";
import { randomToken } from "../../lib/ids";
import { basicCredentials } from "../basic-auth";
import { szKv, szTokens, szUsers } from "../db/zoom-schema";
import { injectZoomFaults } from "./faults";
import { zoomDb } from "./store";

const SCOPES =
  "meeting:write:meeting meeting:read:meeting meeting:update:meeting meeting:delete:meeting meeting:read:past_meeting meeting:read:list_past_participants user:read:user";
const invalid = (c: Context, reason = "Invalid Token!") =>
  c.json({ reason, error: "invalid_grant" }, 400);

function problem(env: Env, q: Record<string, string | undefined>) {
  if (q.client_id !== env.ZOOM_CLIENT_ID) return "Invalid client_id (4702).";
  if (q.response_type !== "code") return "response_type must be code.";
  if (q.redirect_uri !== `${env.APP_URL}/oauth/zoom/callback`) return "Invalid redirect (4709).";
  return null;
}

/** Zoom's token and revoke endpoints take client credentials by HTTP Basic only. */
function zoomClient(c: Context<AppEnv>) {
  const [id, secret] = basicCredentials(c.req.header("authorization"));
  return id === c.env.ZOOM_CLIENT_ID && secret === c.env.ZOOM_CLIENT_SECRET;
}

async function approve(c: Context<AppEnv>, q: Record<string, string | undefined>, email: string) {
  const db = zoomDb(c.env);
  const user = await db.query.szUsers.findFirst({ where: eq(szUsers.email, email.toLowerCase()) });
  if (!user) return c.html("<p>No such sandbox Zoom user.</p>", 400);
  const code = randomToken(24);
  await db.insert(szTokens).values({
    token: code,
    kind: "code",
    userId: user.id,
    expiresAt: Date.now() + 5 * 60_000,
    meta: { redirect_uri: q.redirect_uri ?? "", code_challenge: q.code_challenge ?? "" },
    createdAt: Date.now(),
  });
  const to = new URL(q.redirect_uri ?? "");
  to.searchParams.set("code", code);
  if (q.state) to.searchParams.set("state", q.state);
  return c.redirect(to.toString(), 302);
}

export const zoomOAuth = new Hono<AppEnv>()
  .get("/authorize", async (c) => {
    const { sandbox_user: instant, ...q } = c.req.query();
    const why = problem(c.env, q);
    if (why) return c.html(html`<h1>Zoom authorization error</h1><p>${why}</p>`, 400);
    if (instant) return approve(c, q, instant);
    const users = await zoomDb(c.env).select().from(szUsers);
    const hidden = Object.entries(q).map(
      ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
    );
    return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sandbox Zoom — authorize Kairos</title></head>
<body style="font:16px system-ui;max-width:32rem;margin:2rem auto;padding:0 1rem"><h1>Sandbox Zoom</h1><p>Kairos wants to create and manage meetings for you.</p>
${users.map((u) => html`<form method="post" data-user="${u.email}" style="border:1px solid #ddd;border-radius:10px;padding:1rem;margin:.5rem 0">${hidden}<input type="hidden" name="email" value="${u.email}" /><strong>${u.displayName}</strong> <small>${u.email}</small><br><button name="decision" value="deny">Deny</button> <button name="decision" value="allow">Authorize</button></form>`)}</body></html>`);
  })
  .post("/authorize", async (c) => {
    const {
      email = "",
      decision,
      ...q
    } = Object.fromEntries((await c.req.formData()).entries()) as Record<string, string>;
    const why = problem(c.env, q);
    if (why) return c.html(html`<p>${why}</p>`, 400);
    if (decision === "deny") {
      const to = new URL(q.redirect_uri ?? "");
      to.searchParams.set("error", "access_denied");
      if (q.state) to.searchParams.set("state", q.state);
      return c.redirect(to.toString(), 302);
    }
    return approve(c, q, email);
  })
  .post("/token", injectZoomFaults("token"), async (c) => {
    if (!zoomClient(c)) {
      return c.json({ reason: "Invalid client_id or client_secret", error: "invalid_client" }, 401);
    }
    if (!c.req.header("content-type")?.includes("application/x-www-form-urlencoded")) {
      return c.json({ reason: "Unsupported content type", error: "invalid_request" }, 400);
    }
    const form = new URLSearchParams(await c.req.text());
    const db = zoomDb(c.env);
    const grant = form.get("grant_type");
    if (grant === "authorization_code") {
      // Spend the code first, in one conditional statement: whatever follows, it is used up.
      const [row] = await db
        .update(szTokens)
        .set({ revoked: true })
        .where(
          and(
            eq(szTokens.token, form.get("code") ?? ""),
            eq(szTokens.kind, "code"),
            eq(szTokens.revoked, false),
          ),
        )
        .returning();
      if (!row)
        return c.json({ reason: "Invalid authorization code", error: "invalid_grant" }, 400);
      if ((row.expiresAt ?? 0) < Date.now())
        return c.json({ reason: "Code is expired", error: "invalid_grant" }, 400);
      if (form.get("redirect_uri") !== row.meta.redirect_uri)
        return c.json({ reason: "Redirect URI mismatch.", error: "invalid_request" }, 400);
      if (
        row.meta.code_challenge &&
        (await sha256Base64Url(form.get("code_verifier") ?? "")) !== row.meta.code_challenge
      ) {
        return c.json({ reason: "Invalid code_verifier", error: "invalid_grant" }, 400);
      }
      // Only the latest grant is valid: re-authorizing revokes every earlier token of this user.
      await db.update(szTokens).set({ revoked: true }).where(eq(szTokens.userId, row.userId));
      return c.json(await issue(c.env, row.userId));
    }
    if (grant === "refresh_token") {
      // Rotation in one conditional UPDATE … RETURNING: of parallel refreshes with the same
      // token exactly one wins; the others see a superseded token ("Invalid Token!").
      const [row] = await db
        .update(szTokens)
        .set({ revoked: true })
        .where(
          and(
            eq(szTokens.token, form.get("refresh_token") ?? ""),
            eq(szTokens.kind, "refresh"),
            eq(szTokens.revoked, false),
          ),
        )
        .returning({ userId: szTokens.userId });
      if (!row) return invalid(c);
      await db
        .update(szTokens)
        .set({ revoked: true })
        .where(and(eq(szTokens.userId, row.userId), eq(szTokens.revoked, false)));
      return c.json(await issue(c.env, row.userId));
    }
    return c.json({ reason: "Unsupported grant type", error: "unsupported_grant_type" }, 400);
  })
  .post("/data/compliance", async (c) => {
    if (!zoomClient(c)) return c.json({ code: 4702, message: "Invalid client_id." }, 401);
    const body = (await c.req.json().catch(() => null)) as {
      user_id?: unknown;
      compliance_completed?: unknown;
    } | null;
    if (typeof body?.user_id !== "string" || typeof body.compliance_completed !== "boolean")
      return c.json({ code: 300, message: "user_id and compliance_completed are required." }, 400);
    const value = JSON.stringify(body);
    await zoomDb(c.env)
      .insert(szKv)
      .values({ key: `compliance:${body.user_id}`, value })
      .onConflictDoUpdate({ target: szKv.key, set: { value } });
    return c.body(null, 204);
  })
  .post("/revoke", async (c) => {
    if (!zoomClient(c)) {
      return c.json({ reason: "Invalid client_id or client_secret", error: "invalid_client" }, 401);
    }
    const token = new URLSearchParams(await c.req.text()).get("token") ?? "";
    const db = zoomDb(c.env);
    const row = await db.query.szTokens.findFirst({ where: eq(szTokens.token, token) });
    if (row)
      await db.update(szTokens).set({ revoked: true }).where(eq(szTokens.userId, row.userId));
    return c.json({ status: "success" });
  });

async function issue(env: Env, userId: string) {
  const db = zoomDb(env);
  const now = Date.now();
  const access = `zsbx_at_${randomToken(32)}`;
  const refresh = `zsbx_rt_${randomToken(32)}`;
  await db.insert(szTokens).values([
    { token: access, kind: "access", userId, expiresAt: now + 3599_000, meta: {}, createdAt: now },
    { token: refresh, kind: "refresh", userId, expiresAt: null, meta: {}, createdAt: now },
  ]);
  return {
    access_token: access,
    token_type: "bearer",
    refresh_token: refresh,
    expires_in: 3599,
    scope: SCOPES,
    api_url: env.ZOOM_API_BASE.replace(/\/v2$/, ""),
  };
}
