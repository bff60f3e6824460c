import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sandboxSignIn } from "../../helpers/sandbox-sign-in";
import { api } from "../../helpers/sign-in";

type EventTypes = { items: { name: string; durationMinutes: number; kind: string }[] };

describe("sign-in through the sandbox Calendly", () => {
  it("signs Dana in and lists exactly her three event types", async () => {
    const { jar, res } = await sandboxSignIn("dana@coach.test");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    const me = (await (await api(jar, "/api/me")).json()) as {
      name: string;
      timeZone: string;
      slug: string;
    };
    expect(me).toMatchObject({
      name: "Dana Reyes",
      timeZone: "America/New_York",
      slug: "dana-reyes",
    });
    const list = (await (await api(jar, "/api/event-types")).json()) as EventTypes;
    expect(list.items.map((i) => [i.name, i.durationMinutes, i.kind])).toEqual([
      ["Intro Call", 30, "solo"],
      ["Coaching Session", 60, "solo"],
      ["Group Workshop", 90, "group"],
    ]);
  });

  it("gives Lee only Lee's event types", async () => {
    await sandboxSignIn("dana@coach.test");
    const { jar } = await sandboxSignIn("lee@coach.test");
    const list = (await (await api(jar, "/api/event-types")).json()) as EventTypes;
    expect(list.items.map((i) => i.name)).toEqual(["Discovery Call", "Strategy Session"]);
  });

  it("stores the sandbox tokens encrypted", async () => {
    await sandboxSignIn("lee@coach.test");
    const dump = JSON.stringify(
      (await env.DB.prepare("select * from provider_connections").all()).results,
    );
    const live = await env.DB.prepare(
      "select token from sandbox_calendly_tokens where kind = 'access' and revoked = 0",
    ).all<{ token: string }>();
    expect(live.results.length).toBeGreaterThan(0);
    for (const { token } of live.results) expect(dump).not.toContain(token);
  });
});
