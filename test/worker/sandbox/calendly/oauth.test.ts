import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  authorizeCode,
  basic,
  CLIENT,
  REDIRECT,
  tokenRequest,
  tokensFor,
} from "../../helpers/sandbox-calendly";

describe("sandbox Calendly OAuth", () => {
  // Each test starts with a fresh 8-per-minute token budget (the 429 test spends it on purpose).
  beforeEach(async () => {
    await env.DB.prepare("delete from sandbox_calendly_kv where key like 'token-requests:%'").run();
  });

  it("exchanges a code once, with the right PKCE verifier only", async () => {
    const code = await authorizeCode("dana@coach.test", "right-verifier-".padEnd(43, "x"));
    const wrong = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: "wrong".padEnd(43, "x"),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });

    const code2 = await authorizeCode("dana@coach.test", "right-verifier-".padEnd(43, "x"));
    const ok = await tokenRequest({
      grant_type: "authorization_code",
      code: code2,
      redirect_uri: REDIRECT,
      code_verifier: "right-verifier-".padEnd(43, "x"),
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: "Bearer",
      expires_in: 7200,
      owner: expect.stringContaining("/users/"),
    });
    const again = await tokenRequest({
      grant_type: "authorization_code",
      code: code2,
      redirect_uri: REDIRECT,
      code_verifier: "right-verifier-".padEnd(43, "x"),
    });
    expect(again.status).toBe(400);
  });

  it("spends a code on a failed PKCE check: the right verifier afterwards is refused", async () => {
    const verifier = "right-verifier-".padEnd(43, "y");
    const code = await authorizeCode("dana@coach.test", verifier);
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT };
    const wrong = await tokenRequest({ ...form, code_verifier: "wrong".padEnd(43, "y") });
    expect(wrong.status).toBe(400);
    const retry = await tokenRequest({ ...form, code_verifier: verifier });
    expect(retry.status).toBe(400);
    expect(await retry.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("rotates atomically: of six parallel refreshes of one token exactly one succeeds", async () => {
    const tokens = await tokensFor("dana@coach.test");
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        tokenRequest({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400]);
    const losers = answers.filter((r) => r.status === 400);
    for (const r of losers) expect(await r.json()).toMatchObject({ error: "invalid_grant" });
    const winner = (await answers.find((r) => r.status === 200)?.json()) as {
      refresh_token: string;
    };
    // Only the winner's refresh token lives on.
    const next = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: winner.refresh_token,
    });
    expect(next.status).toBe(200);
  });

  it("lets only one of two parallel exchanges of a code through", async () => {
    const verifier = "parallel-verifier-".padEnd(43, "z");
    const code = await authorizeCode("lee@coach.test", verifier);
    const form = {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    };
    const answers = await Promise.all([tokenRequest(form), tokenRequest(form)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("accepts client credentials in the body, refuses JSON bodies and bad clients", async () => {
    const tokens = await tokensFor("lee@coach.test");
    const inBody = await tokenRequest(
      {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
      },
      {},
    );
    expect(inBody.status).toBe(200);
    const json = await tokenRequest(
      {},
      { authorization: basic, "content-type": "application/json" },
    );
    expect(json.status).toBe(400);
    const badClient = await tokenRequest(
      { grant_type: "refresh_token", refresh_token: "x" },
      { authorization: `Basic ${btoa("who:what")}` },
    );
    expect(badClient.status).toBe(401);
  });

  it("rotates refresh tokens: the presented one dies at once", async () => {
    const tokens = await tokensFor("dana@coach.test");
    const first = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
    });
    expect(first.status).toBe(200);
    const rotated = (await first.json()) as { refresh_token: string };
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const reuse = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("answers the 9th token request of a user within a minute with 429", async () => {
    let tokens = await tokensFor("lee@coach.test");
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await tokenRequest({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
      });
      statuses.push(res.status);
      if (res.status === 200) tokens = (await res.json()) as typeof tokens;
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(8);
  });

  it("lists the seeded users on the authorize page, each with Authorize and Deny", async () => {
    const { exports } = await import("cloudflare:workers");
    const url = `http://kairos.test/sandbox/calendly/oauth/authorize?client_id=${CLIENT.id}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s`;
    const html = await (await exports.default.fetch(url)).text();
    expect(html).toContain('data-user="dana@coach.test"');
    expect(html).toContain('data-user="lee@coach.test"');
    expect(html).toContain(">Authorize</button>");
    const bad = await exports.default.fetch(url.replace(CLIENT.id, "intruder"));
    expect(bad.status).toBe(400);
  });
});
