import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

type EventTypeList = { items: { name: string; calendlyUri: string }[]; syncedAt: string | null };

describe("/api/event-types", () => {
  it("requires a session", async () => {
    const res = await api(new (await import("../helpers/cookies")).CookieJar(), "/api/event-types");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("fetches every page from Calendly, stores them in D1 and returns them", async () => {
    server.use(...fakeCalendly([dana, lee]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const res = await api(jar, "/api/event-types");
    expect(res.status).toBe(200);
    const body = (await res.json()) as EventTypeList;
    expect(body.items.map((i) => i.name)).toEqual([
      "Intro Call",
      "Coaching Session",
      "Group Workshop",
    ]);
    expect(body.syncedAt).toBeTruthy();
    const stored = await env.DB.prepare("select count(*) as n from event_types").first<{
      n: number;
    }>();
    expect(stored?.n).toBe(3);
  });

  it("never shows one coach another coach's event types", async () => {
    server.use(...fakeCalendly([dana, lee]));
    const danaSession = await signInWithCode(`code-${dana.token}`);
    const leeSession = await signInWithCode(`code-${lee.token}`);
    await api(danaSession.jar, "/api/event-types");
    const res = await api(leeSession.jar, "/api/event-types");
    const body = (await res.json()) as EventTypeList;
    expect(body.items.map((i) => i.name)).toEqual(["Discovery Call", "Strategy Session"]);
    const again = (await (await api(danaSession.jar, "/api/event-types")).json()) as EventTypeList;
    expect(again.items.map((i) => i.name)).not.toContain("Discovery Call");
  });

  it("maps a Calendly outage to a clear 503 without losing stored data", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await api(jar, "/api/event-types");
    const { http, HttpResponse } = await import("msw");
    server.use(
      http.get("http://kairos.test/sandbox/calendly/event_types", () =>
        HttpResponse.json({ title: "Internal Server Error" }, { status: 500 }),
      ),
    );
    const res = await api(jar, "/api/event-types/refresh", { method: "POST" });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: { code: "upstream_unavailable", message: "Calendly is not responding right now." },
    });
    const stored = await env.DB.prepare(
      "select count(*) as n from event_types e join coaches c on c.id = e.coach_id where c.email = ?",
    )
      .bind(dana.email)
      .first<{ n: number }>();
    expect(stored?.n).toBe(3);
  });

  it("says the Calendly connection needs reconnecting (424), not that the login expired", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await env.DB.prepare("update provider_connections set status = 'needs_reconnect'").run();
    const res = await api(jar, "/api/event-types/refresh", { method: "POST" });
    expect(res.status).toBe(424);
    expect(await res.json()).toMatchObject({ error: { code: "reconnect_required" } });
    expect((await api(jar, "/api/me")).status).toBe(200);
  });

  it("syncs on POST /api/event-types/refresh only: a GET never forces a Calendly call", async () => {
    server.use(...fakeCalendly([dana]));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    await api(jar, "/api/event-types");
    let calls = 0;
    const { http } = await import("msw");
    server.use(
      // Counts, then falls through to the fake Calendly's own handler.
      http.get("http://kairos.test/sandbox/calendly/event_types", () => {
        calls++;
      }),
    );
    expect((await api(jar, "/api/event-types?refresh=true")).status).toBe(200);
    expect(calls).toBe(0);
    const res = await api(jar, "/api/event-types/refresh", { method: "POST" });
    expect(res.status).toBe(200);
    expect(calls).toBeGreaterThan(0);
  });
});
