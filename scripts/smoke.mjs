#!/usr/bin/env node
/**
 * `npm run smoke -- <url>`: checks a running Kairos from outside, the way a first visitor and
 * Calendly would reach it. On a local URL the sandbox must be there; on any other host it must not.
 * Exits 1 when a check fails; prints one line per check.
 */
import { isLocalUrl } from "./deploy/hosts.mjs";

export async function smoke(base, { log = console.log } = {}) {
  const origin = new URL(base).origin;
  const local = isLocalUrl(origin);
  const results = [];
  const check = async (name, fn) => {
    try {
      const problem = await fn();
      results.push({ name, ok: !problem, problem });
    } catch (err) {
      results.push({ name, ok: false, problem: err instanceof Error ? err.message : String(err) });
    }
    const last = results.at(-1);
    log(`${last.ok ? "✓" : "✗"} ${name}${last.ok ? "" : ` — ${last.problem}`}`);
  };
  const get = (path, init) => fetch(`${origin}${path}`, { redirect: "manual", ...init });

  await check("GET /api/health answers ok", async () => {
    const res = await get("/api/health");
    const body = await res.json().catch(() => ({}));
    if (res.status !== 200 || body.status !== "ok") return `${res.status} ${JSON.stringify(body)}`;
    if (body.sandbox !== local)
      return `sandbox is ${body.sandbox} on a ${local ? "local" : "public"} host`;
  });
  await check("GET /openapi.json is the API document", async () => {
    const res = await get("/openapi.json");
    const body = await res.json().catch(() => ({}));
    if (res.status !== 200 || typeof body.openapi !== "string") return `${res.status}`;
  });
  await check("an unsigned Calendly webhook is refused with 401", async () => {
    const res = await get("/webhooks/calendly/smoke-check", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        event: "invitee.created",
        created_at: new Date().toISOString(),
        payload: {},
      }),
    });
    if (res.status !== 401) return `answered ${res.status}`;
  });
  await check("sign-in redirects to Calendly with this host's callback", async () => {
    const res = await get("/oauth/calendly/start");
    const location = new URL(res.headers.get("location") ?? "", origin);
    const redirect = location.searchParams.get("redirect_uri");
    if (res.status !== 302) return `answered ${res.status}`;
    if (redirect !== `${origin}/oauth/calendly/callback`) return `redirect_uri is ${redirect}`;
    const expected = local ? `${origin}/sandbox/calendly` : "https://auth.calendly.com";
    if (!location.href.startsWith(`${expected}/oauth/authorize`))
      return `goes to ${location.origin}${location.pathname}`;
  });
  await check("security headers are set", async () => {
    const res = await get("/api/health");
    const missing = ["x-content-type-options", "referrer-policy", "x-frame-options"].filter(
      (h) => !res.headers.get(h),
    );
    if (!local && !res.headers.get("strict-transport-security"))
      missing.push("strict-transport-security");
    if (missing.length) return `missing ${missing.join(", ")}`;
  });
  for (const path of ["/sandbox", "/dev/mailbox"]) {
    // Both exist only in local sandbox runs (the fakes, the dev mailbox); anywhere else 404.
    const wanted = local ? 200 : 404;
    await check(`${path} answers ${wanted} on a ${local ? "local" : "public"} host`, async () => {
      const res = await get(path);
      if (res.status !== wanted) return `answered ${res.status}`;
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2];
  if (!url) {
    console.error("Usage: npm run smoke -- <url>   (e.g. https://kairos.example.com)");
    process.exit(2);
  }
  const results = await smoke(url);
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    failed
      ? `\n${failed} of ${results.length} checks failed.`
      : `\nAll ${results.length} checks passed.`,
  );
  process.exit(failed ? 1 : 0);
}
