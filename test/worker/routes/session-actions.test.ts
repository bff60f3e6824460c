import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { importSessions } from "../helpers/import-sessions";
import { api } from "../helpers/sign-in";

type SessionView = {
  id: string;
  status: string;
  startTime: string;
  invitees: { id: string; noShow: boolean; status: string; cancelReason?: string }[];
};

const imported = new Map<string, ReturnType<typeof importSessions>>();

/** Signs the coach in and imports their sandbox sessions (90 days back, 60 ahead), once per file. */
function coachWithSessions(email: string) {
  let coach = imported.get(email);
  if (!coach) {
    coach = importSessions(email);
    imported.set(email, coach);
  }
  return coach;
}

async function sessions(jar: Parameters<typeof api>[0], query: string) {
  const res = await api(jar, `/api/sessions?limit=100&${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: SessionView[] }).items;
}

const json = (method: string, body: unknown) => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function waitForBatch(jar: Parameters<typeof api>[0], id: string) {
  for (let i = 0; i < 100; i++) {
    const res = await api(jar, `/api/batches/${id}`);
    const batch = (await res.json()) as {
      finished: boolean;
      succeeded: number;
      failed: number;
      items: { sessionId: string; status: string; message: string | null }[];
    };
    if (batch.finished) return batch;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("batch did not finish");
}

describe("session actions", { timeout: 60_000 }, () => {
  it("cancels a future session with a reason, in Calendly and in Kairos", async () => {
    const { jar } = await coachWithSessions("dana@coach.test");
    const upcoming = await sessions(jar, `status=active&from=${new Date().toISOString()}`);
    const target = upcoming[0];
    if (!target) throw new Error("no upcoming session seeded");
    const res = await api(
      jar,
      `/api/sessions/${target.id}/cancel`,
      json("POST", { reason: "Coach is ill" }),
    );
    expect(res.status).toBe(200);
    const after = (await res.json()) as SessionView;
    expect(after.status).toBe("canceled");
    expect(after.invitees[0]?.cancelReason).toBe("Coach is ill");
    const uuid = await env.DB.prepare("select calendly_uri from sessions where id = ?")
      .bind(target.id)
      .first<{ calendly_uri: string }>();
    const remote = await env.DB.prepare("select status from sandbox_calendly_events where id = ?")
      .bind(uuid?.calendly_uri.split("/").pop())
      .first<{ status: string }>();
    expect(remote?.status).toBe("canceled");

    const again = await api(
      jar,
      `/api/sessions/${target.id}/cancel`,
      json("POST", { reason: "x" }),
    );
    expect(again.status).toBe(409);
    const noReason = await api(
      jar,
      `/api/sessions/${target.id}/cancel`,
      json("POST", { reason: " " }),
    );
    expect(noReason.status).toBe(400);
  });

  it("marks and clears a no-show on a past session", async () => {
    const { jar } = await coachWithSessions("dana@coach.test");
    const past = await sessions(jar, `status=active&to=${new Date().toISOString()}`);
    const target = past.find((s) => s.invitees[0] && !s.invitees[0].noShow);
    const invitee = target?.invitees[0];
    if (!target || !invitee) throw new Error("no past session seeded");
    const url = `/api/sessions/${target.id}/invitees/${invitee.id}/no-show`;
    const marked = (await (
      await api(jar, url, json("PUT", { noShow: true }))
    ).json()) as SessionView;
    expect(marked.invitees[0]?.noShow).toBe(true);
    const cleared = (await (
      await api(jar, url, json("PUT", { noShow: false }))
    ).json()) as SessionView;
    expect(cleared.invitees[0]?.noShow).toBe(false);
  });

  it("runs a batch no-show item by item, with progress and a result per session", async () => {
    const { jar } = await coachWithSessions("dana@coach.test");
    const past = await sessions(jar, `status=active&to=${new Date().toISOString()}`);
    const three = past.filter((s) => s.invitees.every((i) => !i.noShow)).slice(0, 3);
    expect(three).toHaveLength(3);
    const res = await api(
      jar,
      "/api/batches",
      json("POST", { action: "no_show", sessionIds: three.map((s) => s.id) }),
    );
    expect(res.status).toBe(202);
    const { id, total } = (await res.json()) as { id: string; total: number };
    expect(total).toBe(3);
    const batch = await waitForBatch(jar, id);
    expect(batch.succeeded).toBe(3);
    expect(batch.items.map((i) => i.status)).toEqual(["done", "done", "done"]);
    const after = await sessions(jar, `status=active&to=${new Date().toISOString()}`);
    for (const s of three) {
      expect(after.find((a) => a.id === s.id)?.invitees.every((i) => i.noShow)).toBe(true);
    }
    const noShows = await sessions(jar, "noShow=true");
    for (const s of three) expect(noShows.some((n) => n.id === s.id)).toBe(true);
    expect(noShows.every((n) => n.invitees.some((i) => i.noShow))).toBe(true);
    const shown = await sessions(jar, "noShow=false");
    expect(shown.some((n) => three.some((s) => s.id === n.id))).toBe(false);
  });

  it("cancels a whole day (emergency day off) in the coach's time zone, with one reason", async () => {
    const { jar } = await coachWithSessions("lee@coach.test");
    const upcoming = await sessions(
      jar,
      `status=active&from=${new Date(Date.now() + 3_600_000).toISOString()}`,
    );
    const first = upcoming[0];
    if (!first) throw new Error("no upcoming session");
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(
      new Date(first.startTime),
    );
    const sameDay = upcoming.filter(
      (s) =>
        new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(
          new Date(s.startTime),
        ) === day,
    );
    const res = await api(
      jar,
      "/api/batches",
      json("POST", { action: "cancel", day, reason: "Sick today" }),
    );
    expect(res.status).toBe(202);
    const { id, total } = (await res.json()) as { id: string; total: number };
    expect(total).toBe(sameDay.length);
    const batch = await waitForBatch(jar, id);
    expect(batch.succeeded).toBe(sameDay.length);
    const after = await sessions(jar, `from=${new Date().toISOString()}`);
    for (const s of sameDay) {
      const now = after.find((a) => a.id === s.id);
      expect(now?.status).toBe("canceled");
      expect(now?.invitees[0]?.cancelReason).toBe("Sick today");
    }
    const empty = await api(
      jar,
      "/api/batches",
      json("POST", { action: "cancel", day: "2020-01-01", reason: "past" }),
    );
    expect(empty.status).toBe(400);
  });

  it("refuses a batch without a reason to cancel, or with sessions that are not the coach's", async () => {
    const { jar } = await coachWithSessions("dana@coach.test");
    const upcoming = await sessions(jar, `status=active&from=${new Date().toISOString()}`);
    const ids = upcoming.slice(0, 2).map((s) => s.id);
    expect(
      (await api(jar, "/api/batches", json("POST", { action: "cancel", sessionIds: ids }))).status,
    ).toBe(400);
    const foreign = await api(
      jar,
      "/api/batches",
      json("POST", { action: "no_show", sessionIds: [...ids, "ses_not_mine"] }),
    );
    expect(foreign.status).toBe(404);
  });

  it("never lets Lee read or act on Dana's sessions", async () => {
    const dana = await coachWithSessions("dana@coach.test");
    const lee = await coachWithSessions("lee@coach.test");
    const danas = await sessions(dana.jar, "");
    const target = danas.find((s) => s.status === "active");
    const invitee = target?.invitees[0];
    if (!target || !invitee) throw new Error("no session");
    expect((await sessions(lee.jar, "")).some((s) => s.id === target.id)).toBe(false);
    expect((await api(lee.jar, `/api/sessions/${target.id}`)).status).toBe(404);
    expect((await api(lee.jar, `/api/sessions/${target.id}/history`)).status).toBe(404);
    expect(
      (await api(lee.jar, `/api/sessions/${target.id}/cancel`, json("POST", { reason: "x" })))
        .status,
    ).toBe(404);
    expect(
      (
        await api(
          lee.jar,
          `/api/sessions/${target.id}/invitees/${invitee.id}/no-show`,
          json("PUT", { noShow: true }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await api(
          lee.jar,
          "/api/batches",
          json("POST", { action: "no_show", sessionIds: [target.id] }),
        )
      ).status,
    ).toBe(404);
    const danaBatch = await api(
      dana.jar,
      "/api/batches",
      json("POST", { action: "cancel", sessionIds: [target.id], reason: "test" }),
    );
    const { id } = (await danaBatch.json()) as { id: string };
    expect((await api(lee.jar, `/api/batches/${id}`)).status).toBe(404);
    await waitForBatch(dana.jar, id);
  });
});
