import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dana, fakeCalendly, fakeScheduledEvents } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

describe("sync routes", () => {
  it("starts one manual run, joins it when asked again, and lists it", async () => {
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, []));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    // Sign-in started the first import; finish it so "Sync now" starts a fresh run.
    await env.DB.prepare("update sync_runs set status = 'done'").run();

    const first = await api(jar, "/api/sync", { method: "POST" });
    expect(first.status).toBe(202);
    const started = (await first.json()) as { runId: string; started: boolean };
    expect(started.started).toBe(true);
    const again = (await (
      await api(jar, "/api/sync", { method: "POST" })
    ).json()) as typeof started;
    expect(again).toEqual({ runId: started.runId, started: false });

    const list = (await (await api(jar, "/api/sync-runs")).json()) as {
      items: { id: string; kind: string }[];
      intervalMinutes: number;
    };
    expect(list.items[0]).toMatchObject({ id: started.runId, kind: "manual" });
    expect(list.items.map((r) => r.kind)).toContain("import");
    expect(list.intervalMinutes).toBe(60);
  });

  it("saves a sync interval within 15 minutes to 24 hours and refuses others", async () => {
    server.use(...fakeCalendly([dana]), ...fakeScheduledEvents(dana, []));
    const { jar } = await signInWithCode(`code-${dana.token}`);
    const put = (intervalMinutes: number) =>
      api(jar, "/api/sync-settings", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ intervalMinutes }),
      });
    expect((await put(30)).status).toBe(200);
    expect(
      ((await (await api(jar, "/api/sync-runs")).json()) as { intervalMinutes: number })
        .intervalMinutes,
    ).toBe(30);
    const bad = await put(5);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "validation_failed" } });
  });
});
