/**
 * CSRF beyond SameSite=Lax: a state-changing request (or a WebSocket upgrade) from any page that is
 * not Kairos's own is refused with 403, before it does anything; Kairos's own pages and non-browser
 * clients (no Origin, no Sec-Fetch-Site) pass.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { api, ORIGIN } from "../helpers/sign-in";

const EVIL = "https://evil.test";
const syncRuns = async (coachId: string) =>
  (
    await env.DB.prepare("select count(*) as n from sync_runs where coach_id = ?")
      .bind(coachId)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("same-origin checks", () => {
  it("refuses POST /api/sync from a foreign Origin and starts nothing", async () => {
    const { jar, id } = await readyCoach();
    const before = await syncRuns(id);
    const res = await api(jar, "/api/sync", { method: "POST", headers: { origin: EVIL } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(await syncRuns(id)).toBe(before);
  });

  it.each([
    ["a JSON body", { "content-type": "application/json", origin: EVIL }],
    [
      "a sibling subdomain",
      { "content-type": "application/json", origin: "http://evil.kairos.test" },
    ],
    ["an opaque origin", { "content-type": "text/plain", origin: "null" }],
    ["Sec-Fetch-Site only", { "content-type": "application/json", "sec-fetch-site": "cross-site" }],
    [
      "same-site Sec-Fetch-Site",
      { "content-type": "application/json", "sec-fetch-site": "same-site" },
    ],
  ])("refuses a write with %s", async (_label, headers) => {
    const { jar } = await readyCoach();
    const res = await api(jar, "/api/booking-settings", {
      method: "PUT",
      headers,
      body: JSON.stringify({ embedOrigins: [EVIL] }),
    });
    expect(res.status).toBe(403);
  });

  it("refuses the public booking API from another origin too (the booking page is ours)", async () => {
    const { jar } = await readyCoach();
    const res = await api(jar, "/api/public/form-tokens", {
      method: "POST",
      headers: { origin: EVIL },
    });
    expect(res.status).toBe(403);
    const own = await api(jar, "/api/public/form-tokens", {
      method: "POST",
      headers: { origin: ORIGIN },
    });
    expect(own.status).toBe(200);
  });

  it("lets Kairos's own pages and non-browser clients write", async () => {
    const { jar } = await readyCoach();
    const put = (headers: Record<string, string>) =>
      api(jar, "/api/booking-settings", {
        method: "PUT",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ embedOrigins: [] }),
      });
    expect((await put({ origin: ORIGIN, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await put({ "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await put({})).status).toBe(200);
  });

  it("refuses a WebSocket upgrade of /api/feed from a foreign Origin", async () => {
    const { jar } = await readyCoach();
    const upgrade = (origin: string) =>
      api(jar, "/api/feed", { headers: { upgrade: "websocket", origin } });
    const foreign = await upgrade(EVIL);
    expect(foreign.status).toBe(403);
    expect(foreign.webSocket).toBeNull();
    const own = await upgrade(ORIGIN);
    expect(own.status).toBe(101);
    own.webSocket?.accept();
    own.webSocket?.close();
  });

  it("checks /admin/api too", async () => {
    const { jar } = await readyCoach();
    const res = await api(jar, "/admin/api/coaches/coa_x/sync", {
      method: "POST",
      headers: { origin: EVIL },
    });
    expect(res.status).toBe(403);
  });
});
