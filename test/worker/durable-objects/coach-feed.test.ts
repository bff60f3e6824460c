import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("CoachFeed", () => {
  it("pushes published changes to every connected dashboard", async () => {
    const feed = env.COACH_FEED.get(env.COACH_FEED.idFromName("coa_feed_test"));
    const res = await feed.fetch("http://feed/", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket;
    if (!ws) throw new Error("no websocket");
    ws.accept();
    const received = new Promise<string>((resolve) =>
      ws.addEventListener("message", (e) => resolve(String(e.data))),
    );
    expect(await feed.publish({ type: "session.updated", id: "ses_1" })).toBe(1);
    expect(JSON.parse(await received)).toEqual({ type: "session.updated", id: "ses_1" });
    ws.close();
  });

  it("refuses plain HTTP requests", async () => {
    const feed = env.COACH_FEED.get(env.COACH_FEED.idFromName("coa_feed_test_2"));
    expect((await feed.fetch("http://feed/")).status).toBe(426);
  });
});
