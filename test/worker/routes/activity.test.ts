import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CookieJar } from "../helpers/cookies";
import { dana, fakeCalendly } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

async function danaSession() {
  server.use(...fakeCalendly([dana]));
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return { jar, coachId: coach?.id ?? "" };
}

describe("GET /api/activity", () => {
  it("lists only the coach's own webhook events, newest first", async () => {
    const { jar, coachId } = await danaSession();
    const insert = env.DB.prepare(
      "insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at) values (?, 'calendly', ?, ?, ?, '{}', 'processed', ?)",
    );
    await insert.bind("whe_a", "k-a", "invitee.created", coachId, 1_000).run();
    await insert.bind("whe_b", "k-b", "invitee.canceled", coachId, 2_000).run();
    await insert.bind("whe_c", "k-c", "invitee.created", null, 3_000).run();
    const res = await api(jar, "/api/activity");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string; event: string }[] };
    expect(body.items.map((i) => i.id)).toEqual(["whe_b", "whe_a"]);
  });
});

describe("GET /api/feed", () => {
  it("requires a session", async () => {
    const res = await api(new CookieJar(), "/api/feed", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(401);
  });

  it("upgrades to the coach's live feed, which receives published changes", async () => {
    const { jar, coachId } = await danaSession();
    const res = await api(jar, "/api/feed", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket;
    if (!ws) throw new Error("no websocket");
    ws.accept();
    const message = new Promise<string>((resolve) =>
      ws.addEventListener("message", (e) => resolve(String(e.data))),
    );
    const feed = env.COACH_FEED.get(env.COACH_FEED.idFromName(coachId));
    expect(await feed.publish({ type: "sessions.changed" })).toBe(1);
    expect(JSON.parse(await message)).toEqual({ type: "sessions.changed" });
    ws.close();
  });
});
