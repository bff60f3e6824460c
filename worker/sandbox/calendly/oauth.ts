/**
 * Fake Calendly OAuth (contract §1): an authorize page listing the seeded users (or instant approval
 * with `sandbox_user=<email>`), 10-minute single-use codes with PKCE S256, a form-only token
 * endpoint (Basic or body client auth) with refresh-token rotation, 8 token requests per user per
 * minute, introspection and revocation. A grant carries exactly the scopes requested (nothing when
 * none were: apps made after 2026-03-03 get no default access), less any the scope control holds
 * back for the next grant (./scope-control.ts).
 */
import { and, eq, gte, isNull, or } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../env";
import { sha256Base64Url } from "../../lib/crypto";
import { randomToken } from "../../lib/ids";
import { basicCredentials } from "../basic-auth";
import { sbTokens, sbUsers } from "../db/schema";
import { takeWithheldScopes } from "./scope-control";
import { KNOWN_SCOPES, parseScopes } from "./scopes";
import { bump, oauthError, type SandboxDb, sandboxDb, uris } from "./store";

const CODE_TTL_MS = 10 * 60_000;
const ACCESS_TTL_S = 7200;
const TOKEN_REQUESTS_PER_MINUTE = 8;
const INVALID_GRANT = "The provided authorization grant is invalid, expired, or revoked.";

type AuthorizeParams = Record<
  | "client_id"
  | "redirect_uri"
  | "state"
  | "code_challenge"
  | "code_challenge_method"
  | "scope"
  | "response_type",
  string
>;

function authorizeProblem(env: Env, q: Partial<AuthorizeParams>): string | null {
  if (q.client_id !== env.CALENDLY_CLIENT_ID) return "Unknown client_id.";
  if (q.response_type !== "code") return "response_type must be code.";
  if (q.redirect_uri !== `${env.APP_URL}/oauth/calendly/callback`) {
    return `redirect_uri must be exactly ${env.APP_URL}/oauth/calendly/callback.`;
  }
  if (q.code_challenge && q.code_challenge_method !== "S256") return "Only S256 PKCE is supported.";
  return null;
}

async function approve(c: Context<AppEnv>, q: Partial<AuthorizeParams>, email: string) {
  const db = sandboxDb(c.env);
  const user = await db.query.sbUsers.findFirst({ where: eq(sbUsers.email, email.toLowerCase()) });
  if (!user) return c.html(`<p>No sandbox user ${escape(email)}.</p>`, 400);
  const requested = parseScopes(q.scope);
  const unknown = requested.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    return backToClient(c, q, {
      error: "invalid_scope",
      error_description: `Unknown scope: ${unknown.join(" ")}`,
    });
  }
  const withheld = await takeWithheldScopes(db);
  const granted = [...new Set(requested)].filter((s) => !withheld.includes(s));
  const code = randomToken(24);
  await db.insert(sbTokens).values({
    token: code,
    kind: "code",
    userId: user.id,
    expiresAt: Date.now() + CODE_TTL_MS,
    meta: {
      redirect_uri: q.redirect_uri ?? "",
      code_challenge: q.code_challenge ?? "",
      scope: granted.join(" "),
    },
    createdAt: Date.now(),
  });
  return backToClient(c, q, { code });
}

function backToClient(
  c: Context<AppEnv>,
  q: Partial<AuthorizeParams>,
  params: Record<string, string>,
) {
  const to = new URL(q.redirect_uri ?? "");
  for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
  if (q.state) to.searchParams.set("state", q.state);
  return c.redirect(to.toString(), 302);
}

/** Calendly takes client credentials by HTTP Basic or in the form body; the sandbox takes both. */
function clientAuthenticated(c: Context<AppEnv>, form: URLSearchParams) {
  const [basicId, basicSecret] = basicCredentials(c.req.header("authorization"));
  const id = basicId || form.get("client_id");
  const secret = basicSecret || form.get("client_secret");
  return id === c.env.CALENDLY_CLIENT_ID && secret === c.env.CALENDLY_CLIENT_SECRET;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(
  q: Partial<AuthorizeParams>,
  users: { email: string; name: string; timezone: string }[],
) {
  const hidden = Object.entries(q).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
  );
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox Calendly — authorize Kairos</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
.card{border:1px solid #e5e7eb;border-radius:12px;padding:1rem;margin:.75rem 0;display:flex;justify-content:space-between;align-items:center;gap:.5rem;flex-wrap:wrap}
button{font:inherit;padding:.5rem 1rem;border-radius:8px;border:1px solid #006bff;background:#006bff;color:#fff;cursor:pointer}
button.deny{background:#fff;color:#374151;border-color:#d1d5db}.muted{color:#6b7280;font-size:.9rem}</style></head>
<body><h1>Sandbox Calendly</h1><p><strong>Kairos</strong> wants to read and manage your scheduling data. Choose the demo account to sign in as.</p>
<p class="muted">Permissions requested: ${q.scope || "none (the app will get no access)"}</p>
${users.map(
  (
    u,
  ) => html`<form method="post" class="card" data-user="${u.email}">${hidden}<input type="hidden" name="email" value="${u.email}" />
<div><strong>${u.name}</strong><div class="muted">${u.email} · ${u.timezone}</div></div>
<span><button type="submit" name="decision" value="deny" class="deny">Deny</button> <button type="submit" name="decision" value="allow">Authorize</button></span></form>`,
)}
<p class="muted">This page is the local fake of Calendly (SANDBOX=1). No real account is involved.</p></body></html>`;
}

export const calendlyOAuth = new Hono<AppEnv>()
  .get("/authorize", async (c) => {
    const q = c.req.query() as Partial<AuthorizeParams> & { sandbox_user?: string };
    const { sandbox_user: instant, ...params } = q;
    const problem = authorizeProblem(c.env, params);
    if (problem)
      return c.html(`<!doctype html><h1>Authorization error</h1><p>${escape(problem)}</p>`, 400);
    if (instant) return approve(c, params, instant);
    const users = await sandboxDb(c.env).select().from(sbUsers).orderBy(sbUsers.name);
    return c.html(page(params, users));
  })
  .post("/authorize", async (c) => {
    const form = Object.fromEntries((await c.req.formData()).entries()) as Record<string, string>;
    const { email = "", decision, ...params } = form;
    const problem = authorizeProblem(c.env, params);
    if (problem) return c.html(`<p>${escape(problem)}</p>`, 400);
    if (decision === "deny") return backToClient(c, params, { error: "access_denied" });
    return approve(c, params, email);
  })
  .post("/token", async (c) => {
    if (!c.req.header("content-type")?.includes("application/x-www-form-urlencoded")) {
      return oauthError(c, 400, "invalid_request", "The token endpoint takes a form body.");
    }
    const form = new URLSearchParams(await c.req.text());
    if (!clientAuthenticated(c, form)) {
      return oauthError(c, 401, "invalid_client", "Client authentication failed.");
    }
    const db = sandboxDb(c.env);
    const grant = form.get("grant_type");
    if (grant !== "authorization_code" && grant !== "refresh_token") {
      return oauthError(c, 400, "unsupported_grant_type", "Unsupported grant_type.");
    }
    const kind = grant === "refresh_token" ? "refresh" : "code";
    const presented = form.get(grant === "refresh_token" ? "refresh_token" : "code") ?? "";
    const invalidGrant = (description = INVALID_GRANT) =>
      oauthError(c, 400, "invalid_grant", description);
    // The read only finds whose rate budget the request spends; the decision is the update below.
    const seen = await db.query.sbTokens.findFirst({ where: eq(sbTokens.token, presented) });
    if (!seen || seen.kind !== kind) return invalidGrant();
    if (
      (await bump(db, `token-requests:${seen.userId}:${Math.floor(Date.now() / 60_000)}`)) >
      TOKEN_REQUESTS_PER_MINUTE
    ) {
      return c.json(
        { title: "Too Many Requests", message: "You have exceeded the rate limit" },
        429,
        { "Retry-After": "60" },
      );
    }
    // Single use, decided by one conditional statement: of N racing requests exactly one changes
    // the row and gets tokens. A code is spent even when the checks after this fail (a wrong PKCE
    // verifier burns it), so a second try with the right verifier is refused too.
    const row = await spend(db, presented, kind);
    if (!row) return invalidGrant();
    if (kind === "code") {
      if (form.get("redirect_uri") !== row.meta.redirect_uri) {
        return invalidGrant("redirect_uri does not match the authorization request.");
      }
      if (
        row.meta.code_challenge &&
        (await sha256Base64Url(form.get("code_verifier") ?? "")) !== row.meta.code_challenge
      ) {
        return invalidGrant("PKCE verification failed.");
      }
    }
    return c.json(await issueTokens(c.env, db, row.userId, row.meta.scope ?? ""));
  })
  .post("/introspect", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    if (!clientAuthenticated(c, form)) {
      return oauthError(c, 401, "invalid_client", "Client authentication failed.");
    }
    const db = sandboxDb(c.env);
    const row = await db.query.sbTokens.findFirst({
      where: eq(sbTokens.token, form.get("token") ?? ""),
    });
    const live =
      row && row.kind !== "code" && !row.revoked && (!row.expiresAt || row.expiresAt > Date.now());
    if (!row || !live) return c.json({ active: false });
    const at = uris(c.env.CALENDLY_API_BASE);
    const user = await db.query.sbUsers.findFirst({ where: eq(sbUsers.id, row.userId) });
    return c.json({
      active: true,
      scope: row.meta.scope,
      client_id: c.env.CALENDLY_CLIENT_ID,
      token_type: "Bearer",
      exp: row.expiresAt ? Math.floor(row.expiresAt / 1000) : null,
      iat: Math.floor(row.createdAt / 1000),
      owner: at.user(row.userId),
      organization: user ? at.org(user.orgId) : null,
    });
  })
  .post("/revoke", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    if (!clientAuthenticated(c, form)) {
      return oauthError(c, 401, "invalid_client", "Client authentication failed.");
    }
    const token = form.get("token");
    if (!token) return oauthError(c, 400, "invalid_request", "token is required.");
    const db = sandboxDb(c.env);
    const row = await db.query.sbTokens.findFirst({ where: eq(sbTokens.token, token) });
    // Revoking either token of a grant revokes the whole grant (both live tokens of the user).
    if (row) {
      await db
        .update(sbTokens)
        .set({ revoked: true })
        .where(and(eq(sbTokens.userId, row.userId), eq(sbTokens.revoked, false)));
    }
    return c.body(null, 200);
  });

/** Revokes a live, unexpired code or refresh token and returns it; undefined if it was not live. */
async function spend(db: SandboxDb, token: string, kind: "code" | "refresh") {
  const [row] = await db
    .update(sbTokens)
    .set({ revoked: true })
    .where(
      and(
        eq(sbTokens.token, token),
        eq(sbTokens.kind, kind),
        eq(sbTokens.revoked, false),
        or(isNull(sbTokens.expiresAt), gte(sbTokens.expiresAt, Date.now())),
      ),
    )
    .returning();
  return row;
}

export async function issueTokens(env: Env, db: SandboxDb, userId: string, scope: string) {
  const now = Date.now();
  const access = `sbx_at_${randomToken(32)}`;
  const refresh = `sbx_rt_${randomToken(32)}`;
  await db.insert(sbTokens).values([
    {
      token: access,
      kind: "access",
      userId,
      expiresAt: now + ACCESS_TTL_S * 1000,
      meta: { scope },
      createdAt: now,
    },
    { token: refresh, kind: "refresh", userId, expiresAt: null, meta: { scope }, createdAt: now },
  ]);
  const user = await db.query.sbUsers.findFirst({ where: eq(sbUsers.id, userId) });
  const at = uris(env.CALENDLY_API_BASE);
  return {
    token_type: "Bearer",
    access_token: access,
    refresh_token: refresh,
    expires_in: ACCESS_TTL_S,
    created_at: Math.floor(now / 1000),
    scope,
    owner: at.user(userId),
    organization: user ? at.org(user.orgId) : "",
  };
}
