/**
 * "Export selected": POST /api/batches {action: "export"} refreshes each session from Calendly (one
 * `jobs` message each), then GET /api/batches/{id}/sessions.csv|ics serve exactly the selection,
 * formatted as /api/exports does. Calendly being down never loses a row.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../worker/index";
import type { CookieJar } from "../helpers/cookies";
import { parseCsv } from "../helpers/csv";
import { calendlyJson } from "../helpers/fake-calendly";
import { importSessions } from "../helpers/import-sessions";
import { readyCoach } from "../helpers/public-booking";
import { api, ORIGIN } from "../helpers/sign-in";
import { server } from "../setup";

type SessionView = {
  id: string;
  calendlyUri: string;
  name: string;
  status: string;
  startTime: string;
  invitees: { calendlyUri: string; status: string }[];
};
type BatchView = {
  action: string;
  finished: boolean;
  succeeded: number;
  failed: number;
  items: {
    sessionId: string;
    status: string;
    message: string | null;
    name: string | null;
    startTime: string | null;
  }[];
};

const json = (method: string, body: unknown) => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** Waits for the background import that sign-in starts, so only this test changes sessions. */
async function syncsSettled() {
  let quiet = 0;
  for (let i = 0; i < 300 && quiet < 3; i++) {
    const running = await env.DB.prepare(
      "select count(*) as n from sync_runs where status = 'running'",
    ).first<{ n: number }>();
    quiet = running?.n ? 0 : quiet + 1;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (quiet < 3) throw new Error("a sync run is still running");
}

async function allSessions(jar: CookieJar) {
  const res = await api(jar, "/api/sessions?limit=100");
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: SessionView[] }).items;
}

async function batchOf(jar: CookieJar, id: string) {
  const res = await api(jar, `/api/batches/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as BatchView;
}

async function waitFor(jar: CookieJar, id: string, done: (b: BatchView) => boolean) {
  for (let i = 0; i < 150; i++) {
    const batch = await batchOf(jar, id);
    if (done(batch)) return batch;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`batch ${id} did not get there: ${JSON.stringify(await batchOf(jar, id))}`);
}

async function startExport(jar: CookieJar, sessionIds: string[]) {
  const res = await api(jar, "/api/batches", json("POST", { action: "export", sessionIds }));
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** Runs one `batch.item` message through the real consumer, as its `attempts`-th delivery. */
async function deliver(job: object, attempts: number) {
  const batch = createMessageBatch("jobs", [
    { id: `msg-${attempts}`, timestamp: new Date(), attempts, body: job },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const byStart = (a: SessionView, b: SessionView) =>
  a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id);
const uuidOf = (uri: string) => uri.split("/").pop() ?? "";
const eventUrl = (s: SessionView) =>
  `${ORIGIN}/sandbox/calendly/scheduled_events/${uuidOf(s.calendlyUri)}`;

describe("export batches", { timeout: 90_000 }, () => {
  let dana: CookieJar;
  let lee: CookieJar;
  let danas: SessionView[];

  beforeAll(async () => {
    dana = (await importSessions("dana@coach.test")).jar;
    lee = (await readyCoach("lee@coach.test")).jar;
    await syncsSettled();
    danas = await allSessions(dana);
  }, 120_000);

  it("refreshes each selected session from Calendly, then exports exactly the selection", async () => {
    const now = new Date().toISOString();
    const past = danas.filter((s) => s.startTime < now && s.status === "active");
    const upcoming = danas.filter((s) => s.startTime > now && s.status === "active");
    // Picked out of start order, from both tabs.
    const picked = [upcoming[1], past[0], upcoming[0]].filter((s) => s !== undefined);
    expect(picked).toHaveLength(3);
    const [changed] = picked as [SessionView];
    const invitee = changed.invitees.find((i) => i.status === "active");
    if (!invitee) throw new Error("no active invitee");

    // The client cancels in Calendly and the webhook is lost: Kairos still shows it booked.
    const control = (path: string, body: unknown) =>
      exports.default.fetch(`${ORIGIN}/sandbox/calendly/control/${path}`, json("POST", body));
    expect((await control("settings", { webhookMode: "lost" })).status).toBe(200);
    try {
      expect(
        (await control("cancel", { inviteeUri: invitee.calendlyUri, reason: "Moved away" })).status,
      ).toBe(200);
    } finally {
      await control("settings", { webhookMode: "normal" });
    }
    expect(
      (await api(dana, `/api/sessions/${changed.id}`).then((r) => r.json())) as object,
    ).toMatchObject({ status: "active" });

    const id = await startExport(
      dana,
      picked.map((s) => s.id),
    );
    const batch = await waitFor(dana, id, (b) => b.finished);
    expect(batch).toMatchObject({ action: "export", succeeded: 3, failed: 0 });
    const ordered = [...picked].sort(byStart);
    expect(batch.items).toEqual(
      ordered.map((s) => ({
        sessionId: s.id,
        status: "done",
        message: "Up to date with Calendly",
        name: s.name,
        startTime: new Date(s.startTime).toISOString(),
      })),
    );

    const csv = await api(dana, `/api/batches/${id}/sessions.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(
      /^attachment; filename="kairos-sessions-selection-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = await csv.text();
    const [header, ...rows] = parseCsv(text);
    expect(header?.[0]).toBe("Session ID");
    expect(header).toContain("Cancel reason");
    expect(rows.map((r) => r[0])).toEqual(ordered.map((s) => s.id));
    const statusAt = header?.indexOf("Status") ?? -1;
    expect(rows.find((r) => r[0] === changed.id)?.[statusAt]).toBe("canceled");
    expect(text).toContain("Moved away");

    // The very same formatter as GET /api/exports/sessions.csv: the same lines, byte for byte.
    const everything = await (await api(dana, "/api/exports/sessions.csv")).text();
    const lines = new Set(everything.split("\r\n"));
    for (const line of text.split("\r\n").filter(Boolean)) expect(lines.has(line)).toBe(true);

    const ics = await api(dana, `/api/batches/${id}/sessions.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(ics.headers.get("content-disposition")).toMatch(
      /^attachment; filename="kairos-sessions-selection-\d{4}-\d{2}-\d{2}\.ics"$/,
    );
    const cal = (await ics.text()).replace(/\r\n[ \t]/g, "");
    expect(cal.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    const uids = [...cal.matchAll(/^UID:(.+)$/gm)].map((m) => m[1]?.trim());
    expect(uids).toEqual(ordered.map((s) => `${s.id}@kairos`));
  });

  it("answers 409 while the export runs, 400 for other batches, 404 for another coach", async () => {
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind("dana@coach.test")
      .first<{ id: string }>();
    const target = danas[0] as SessionView;
    const insert = (id: string, action: string, finishedAt: number | null) =>
      env.DB.batch([
        env.DB.prepare(
          "insert into batch_jobs (id, coach_id, action, total, succeeded, finished_at) values (?, ?, ?, 1, ?, ?)",
        ).bind(id, coach?.id, action, finishedAt ? 1 : 0, finishedAt),
        env.DB.prepare(
          "insert into batch_items (batch_id, session_id, status) values (?, ?, ?)",
        ).bind(id, target.id, finishedAt ? "done" : "pending"),
      ]);
    await insert("bat_export_running", "export", null);
    await insert("bat_noshow_done", "no_show", Date.now());
    await insert("bat_export_done", "export", Date.now());

    for (const ext of ["csv", "ics"]) {
      const running = await api(dana, `/api/batches/bat_export_running/sessions.${ext}`);
      expect(running.status).toBe(409);
      expect(((await running.json()) as { error: { message: string } }).error.message).toMatch(
        /The export is still running/,
      );
      const other = await api(dana, `/api/batches/bat_noshow_done/sessions.${ext}`);
      expect(other.status).toBe(400);
      expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(
        /not an export/,
      );
      expect((await api(dana, `/api/batches/bat_export_done/sessions.${ext}`)).status).toBe(200);
      expect((await api(lee, `/api/batches/bat_export_done/sessions.${ext}`)).status).toBe(404);
      expect((await api(dana, `/api/batches/bat_nope/sessions.${ext}`)).status).toBe(404);
    }
    expect((await api(lee, "/api/batches/bat_export_done")).status).toBe(404);
    // Lee cannot export Dana's sessions either.
    const foreign = await api(
      lee,
      "/api/batches",
      json("POST", { action: "export", sessionIds: [target.id] }),
    );
    expect(foreign.status).toBe(404);
  });

  it("settles an item whose message was dead-lettered, once, so the export can be downloaded", async () => {
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind("dana@coach.test")
      .first<{ id: string }>();
    const target = danas[1] as SessionView;
    await env.DB.batch([
      env.DB.prepare(
        "insert into batch_jobs (id, coach_id, action, total) values ('bat_export_dlq', ?, 'export', 1)",
      ).bind(coach?.id),
      env.DB.prepare(
        "insert into batch_items (batch_id, session_id, status) values ('bat_export_dlq', ?, 'pending')",
      ).bind(target.id),
    ]);
    expect((await api(dana, "/api/batches/bat_export_dlq/sessions.csv")).status).toBe(409);
    const body = {
      type: "batch.item",
      coachId: coach?.id,
      batchId: "bat_export_dlq",
      sessionId: target.id,
    };
    for (const id of ["dlq-1", "dlq-2"]) {
      const letters = createMessageBatch("dead-letters", [
        { id, timestamp: new Date(), attempts: 6, body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(letters, env, ctx);
      expect((await getQueueResult(letters, ctx)).explicitAcks).toEqual([id]);
    }
    const batch = await batchOf(dana, "bat_export_dlq");
    expect(batch).toMatchObject({ finished: true, succeeded: 1, failed: 0 });
    expect(batch.items[0]?.message).toMatch(/exported Kairos's last copy/);
    expect((await api(dana, "/api/batches/bat_export_dlq/sessions.csv")).status).toBe(200);
  });

  it("refuses an export of a day, with a clear message", async () => {
    const res = await api(
      dana,
      "/api/batches",
      json("POST", { action: "export", day: "2030-01-07" }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; message: string; details: { field: string }[] };
    };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toMatch(/export takes the selected sessions/i);
    expect(body.error.details[0]?.field).toBe("day");
  });

  // Last: the Calendly failures below may leave Dana's circuit breaker open for a minute.
  it("still exports a session Calendly cannot serve (5xx after the retries, or 404)", async () => {
    const [down, gone, fine] = danas.filter((s) => s.status === "active").slice(-3);
    if (!down || !gone || !fine) throw new Error("not enough sessions");
    server.use(
      http.get(eventUrl(down), () =>
        calendlyJson({ title: "Internal Server Error" }, { status: 500 }),
      ),
      http.get(eventUrl(gone), () =>
        calendlyJson({ title: "Resource Not Found", message: "Gone" }, { status: 404 }),
      ),
    );
    const id = await startExport(dana, [down.id, gone.id, fine.id]);
    const settled = await waitFor(
      dana,
      id,
      (b) => b.items.filter((i) => i.status !== "pending").length >= 2,
    );
    const item = (s: SessionView, b: BatchView) => b.items.find((i) => i.sessionId === s.id);
    expect(item(gone, settled)).toMatchObject({
      status: "done",
      message: "Not found at Calendly; exported Kairos's copy",
    });
    expect(item(fine, settled)).toMatchObject({
      status: "done",
      message: "Up to date with Calendly",
    });

    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind("dana@coach.test")
      .first<{ id: string }>();
    const job = { type: "batch.item", coachId: coach?.id, batchId: id, sessionId: down.id };
    // An early delivery is retried by the queue; the item waits.
    const first = await deliver(job, 1);
    expect(first.retryMessages).toHaveLength(1);
    expect(item(down, await batchOf(dana, id))?.status).toBe("pending");
    // The last delivery settles it as done: an export never loses its row to an outage.
    const last = await deliver(job, 4);
    expect(last.explicitAcks).toEqual(["msg-4"]);
    const batch = await batchOf(dana, id);
    expect(batch).toMatchObject({ finished: true, succeeded: 3, failed: 0 });
    expect(item(down, batch)).toMatchObject({
      status: "done",
      message: "Calendly unreachable; exported Kairos's last copy",
    });

    const csv = await api(dana, `/api/batches/${id}/sessions.csv`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(await csv.text()).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual([down.id, gone.id, fine.id].sort());
  });
});
