import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { calendlyRead } from "../../../../worker/sandbox/calendly/api-read";
import { calendlyWrite } from "../../../../worker/sandbox/calendly/api-write";
import {
  missingScopes,
  requiredScopes,
  webhookEventScopes,
} from "../../../../worker/sandbox/calendly/scopes";
import {
  CALENDLY,
  CLIENT,
  call,
  REDIRECT,
  tokenRequest,
  tokensFor,
} from "../../helpers/sandbox-calendly";

const control = (method: string, body?: unknown) =>
  exports.default.fetch(`${CALENDLY}/control/scopes`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("sandbox Calendly scopes", () => {
  it("grants nothing when nothing was requested, and such a token can call nothing", async () => {
    const tokens = await tokensFor("dana@coach.test", "");
    expect(tokens.scope).toBe("");
    const me = await call(tokens.access_token, "/users/me");
    expect(me.status).toBe(403);
    expect(await me.json()).toMatchObject({
      title: "Insufficient scope",
      required_scopes: ["users:read"],
    });
  });

  it("a users:read-only token reads the user but gets 403 Insufficient scope on scheduled events", async () => {
    const tokens = await tokensFor("dana@coach.test", "users:read");
    expect(tokens.scope).toBe("users:read");
    expect((await call(tokens.access_token, "/users/me")).status).toBe(200);
    const events = await call(
      tokens.access_token,
      `/scheduled_events?user=${encodeURIComponent(tokens.owner)}`,
    );
    expect(events.status).toBe(403);
    const body = (await events.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      title: "Insufficient scope",
      message: expect.stringContaining("scheduled_events:read"),
      required_scopes: ["scheduled_events:read"],
      details: [{ parameter: "scope", message: expect.stringContaining("scheduled_events:read") }],
    });
    expect(events.headers.get("x-ratelimit-limit")).toBeTruthy();
  });

  it("grants exactly the requested scopes; :write covers :read, not the other way round", async () => {
    const tokens = await tokensFor("lee@coach.test", "scheduled_events:write event_types:read");
    expect(tokens.scope).toBe("scheduled_events:write event_types:read");
    const list = await call(
      tokens.access_token,
      `/scheduled_events?user=${encodeURIComponent(tokens.owner)}`,
    );
    expect(list.status).toBe(200);
    const patch = await call(tokens.access_token, "/event_types/whatever", {
      method: "PATCH",
      body: JSON.stringify({ before_buffer: 5 }),
    });
    expect(patch.status).toBe(403);
    expect(await patch.json()).toMatchObject({ required_scopes: ["event_types:write"] });
    // The refreshed pair keeps the grant's scopes.
    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: (tokens as { refresh_token: string }).refresh_token,
    });
    expect(await refreshed.json()).toMatchObject({
      scope: "scheduled_events:write event_types:read",
    });
  });

  it("a webhook subscription needs the read scope of each event family it takes", async () => {
    const tokens = await tokensFor("lee@coach.test", "webhooks:write scheduled_events:read");
    const res = await call(tokens.access_token, "/webhook_subscriptions", {
      method: "POST",
      body: JSON.stringify({
        url: "https://hooks.example/scopes-test",
        events: ["invitee.created", "event_type.updated"],
        organization: tokens.organization,
        user: tokens.owner,
        scope: "user",
      }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ required_scopes: ["event_types:read"] });
  });

  it("refuses an unknown scope at authorize with invalid_scope", async () => {
    const url = new URL(`${CALENDLY}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: CLIENT.id,
      response_type: "code",
      redirect_uri: REDIRECT,
      scope: "users:read everything:write",
      state: "s9",
      sandbox_user: "dana@coach.test",
    }).toString();
    const res = await exports.default.fetch(url.toString(), { redirect: "manual" });
    const back = new URL(res.headers.get("location") ?? "");
    expect(back.searchParams.get("error")).toBe("invalid_scope");
    expect(back.searchParams.get("state")).toBe("s9");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("the scope control withholds scopes from the next grant only", async () => {
    const set = await control("POST", { withhold: ["scheduled_events:write", "webhooks:write"] });
    expect(await set.json()).toMatchObject({
      withhold: ["scheduled_events:write", "webhooks:write"],
    });
    const partial = await tokensFor(
      "dana@coach.test",
      "users:read scheduled_events:write webhooks:write",
    );
    expect(partial.scope).toBe("users:read");
    expect(await (await control("GET")).json()).toMatchObject({ withhold: [] });
    const full = await tokensFor(
      "dana@coach.test",
      "users:read scheduled_events:write webhooks:write",
    );
    expect(full.scope).toBe("users:read scheduled_events:write webhooks:write");

    expect((await control("POST", { withhold: ["made:up"] })).status).toBe(400);
    await control("POST", { withhold: ["users:read"] });
    await control("DELETE");
    expect((await tokensFor("lee@coach.test", "users:read")).scope).toBe("users:read");
  });

  it("maps every endpoint the fake serves to its scopes (unmapped ones are refused)", async () => {
    const routes = [...calendlyRead.routes, ...calendlyWrite.routes].filter(
      (r) => r.method !== "ALL",
    );
    expect(routes.length).toBeGreaterThan(10);
    const unmapped = routes
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => {
        const [method = "", path = ""] = r.split(" ");
        return requiredScopes(method, path.replaceAll(/:\w+/g, "x1")) === null;
      });
    expect(unmapped).toEqual([]);
    expect(requiredScopes("GET", "/not_an_endpoint")).toBeNull();
    const tokens = await tokensFor("lee@coach.test");
    const unknown = await call(tokens.access_token, "/not_an_endpoint");
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toMatchObject({
      title: "Insufficient scope",
      required_scopes: [],
    });
  });

  it("reads the hierarchy and event families right", () => {
    expect(missingScopes(["scheduled_events:write"], ["scheduled_events:read"])).toEqual([]);
    expect(missingScopes(["scheduled_events:read"], ["scheduled_events:write"])).toEqual([
      "scheduled_events:write",
    ]);
    expect(webhookEventScopes(["invitee.created", "invitee_no_show.deleted"])).toEqual([
      "scheduled_events:read",
    ]);
  });
});
