import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { createDb } from "../../../worker/db/client";
import { neutralizeFormula } from "../../../worker/exports/csv";
import { exportSessions } from "../../../worker/exports/sessions";
import type { CookieJar } from "../helpers/cookies";
import { parseCsv } from "../helpers/csv";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { api, signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

const API = "https://api.calendly.test";
const TRICKY_NAME = 'Smith, "Jo"\nJunior';
const FORMULA_NAME = '=HYPERLINK("https://evil.test","click")';

type Seed = {
  n: number;
  day: number;
  name?: string;
  email?: string;
  event?: "invitee.created" | "invitee.canceled";
  title?: string;
  joinUrl?: string | null;
  extra?: object;
};

function booking(s: Seed, prefix: string) {
  const start = new Date(Date.UTC(2026, 11, s.day, 15)).toISOString();
  const end = new Date(Date.UTC(2026, 11, s.day, 16)).toISOString();
  const canceled = s.event === "invitee.canceled";
  return {
    event: s.event ?? "invitee.created",
    created_at: start,
    payload: {
      uri: `${API}/scheduled_events/${prefix}${s.n}/invitees/i${s.n}`,
      email: s.email ?? `client${s.n}@client.test`,
      name: s.name ?? `Client ${s.n}`,
      status: canceled ? "canceled" : "active",
      updated_at: new Date(Date.UTC(2026, 10, 1, s.n)).toISOString(),
      ...s.extra,
      scheduled_event: {
        uri: `${API}/scheduled_events/${prefix}${s.n}`,
        name: s.title ?? (s.n % 2 ? "Intro Call" : "Coaching Session"),
        status: canceled ? "canceled" : "active",
        start_time: start,
        end_time: end,
        event_type: `${API}/event_types/${s.n % 2 ? "intro" : "coaching"}`,
        location:
          s.joinUrl === null
            ? { type: "physical", location: "Office" }
            : { type: "zoom_conference", join_url: s.joinUrl ?? `https://zoom.test/j/${s.n}` },
      },
    },
  };
}

/** Rows as objects keyed by the header row. */
function records(text: string) {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

async function coachId(email: string) {
  const row = await env.DB.prepare("select id from coaches where email = ?")
    .bind(email)
    .first<{ id: string }>();
  return row?.id ?? "";
}

describe("/api/exports", () => {
  let danaJar: CookieJar;
  let leeJar: CookieJar;
  let danaId: string;
  let leeSessionId: string;

  beforeAll(async () => {
    server.use(...fakeCalendly([dana, lee]));
    danaJar = (await signInWithCode(`code-${dana.token}`)).jar;
    leeJar = (await signInWithCode(`code-${lee.token}`)).jar;
    danaId = await coachId(dana.email);
    const db = createDb(env.DB);
    const danaScope = { db, coachId: danaId };
    const seeds: Seed[] = [
      { n: 1, day: 1, name: TRICKY_NAME },
      { n: 2, day: 2, name: FORMULA_NAME, email: "+formula@client.test" },
      { n: 3, day: 3, name: "-Minus Start", joinUrl: null },
      { n: 4, day: 4, name: "@Handle" },
      {
        n: 5,
        day: 5,
        event: "invitee.canceled",
        extra: { cancellation: { canceled_by: "Client 5", reason: "Sick, sorry" } },
      },
      { n: 6, day: 6, extra: { no_show: { uri: `${API}/invitee_no_shows/ns6` } } },
    ];
    for (const s of seeds) await applyCalendlyEvent(danaScope, booking(s, "dana"));

    const leeScope = { db, coachId: await coachId(lee.email) };
    await applyCalendlyEvent(
      leeScope,
      booking({ n: 7, day: 2, name: "Lee's Client", title: "Strategy Session" }, "lee"),
    );
    const leeSession = await env.DB.prepare("select id from sessions where coach_id = ?")
      .bind(leeScope.coachId)
      .first<{ id: string }>();
    leeSessionId = leeSession?.id ?? "";

    // Secrets that must never reach account.json (beside the real token ciphertext from sign-in).
    await env.DB.prepare(
      `insert into webhook_subscriptions (id, coach_id, provider, uri, callback_url, events, state, signing_key_enc)
       values ('whs_export', ?, 'calendly', ?, 'http://kairos.test/webhooks/calendly/whs_export', '["invitee.created"]', 'active', 'v2.aaaa.bbbb')`,
    )
      .bind(danaId, `${API}/webhook_subscriptions/export`)
      .run();
    await env.DB.prepare(
      `insert into audit_log (id, coach_id, actor, action, detail) values ('aud_export', ?, 'system', 'test.secret', ?)`,
    )
      .bind(danaId, JSON.stringify({ kept: "yes", access_token_enc: "v1.cccc.dddd" }))
      .run();
    await env.DB.prepare(
      `insert into webhook_events (id, provider, dedupe_key, event, coach_id, payload, status, received_at)
       values ('whe_export', 'calendly', 'export-1', 'invitee.created', ?, '{"secret":"raw payload"}', 'processed', ?)`,
    )
      .bind(danaId, Date.now())
      .run();
  });

  const download = async (jar: CookieJar, path: string) => {
    const res = await api(jar, path);
    expect(res.status).toBe(200);
    return res;
  };
  const sessionIds = async (jar: CookieJar, query = "") => {
    const res = await api(jar, `/api/sessions?limit=100${query ? `&${query}` : ""}`);
    const page = (await res.json()) as { items: { id: string }[] };
    return page.items.map((s) => s.id);
  };

  it("exports every session as CSV with a header row, as an attachment", async () => {
    const res = await download(danaJar, "/api/exports/sessions.csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="sessions.csv"');
    const text = await res.text();
    expect(parseCsv(text)[0]).toEqual([
      "Session ID",
      "Start (UTC)",
      "End (UTC)",
      "Status",
      "Event",
      "Event type URI",
      "Location type",
      "Join URL",
      "Invitee names",
      "Invitee emails",
      "No-show",
      "Canceled by",
      "Cancel reason",
    ]);
    const rows = records(text);
    expect(rows.map((r) => r["Session ID"])).toEqual(await sessionIds(danaJar));
    expect(rows[0]).toMatchObject({
      "Start (UTC)": "2026-12-01T15:00:00.000Z",
      "End (UTC)": "2026-12-01T16:00:00.000Z",
      Status: "active",
      Event: "Intro Call",
      "Event type URI": `${API}/event_types/intro`,
      "Location type": "zoom_conference",
      "Join URL": "https://zoom.test/j/1",
      "Invitee emails": "client1@client.test",
      "No-show": "no",
    });
    expect(rows[2]).toMatchObject({ "Location type": "physical", "Join URL": "" });
    expect(rows[4]).toMatchObject({
      Status: "canceled",
      "Canceled by": "Client 5",
      "Cancel reason": "Sick, sorry",
    });
    expect(rows[5]?.["No-show"]).toBe("yes");
  });

  it("quotes commas, quotes and newlines (RFC 4180)", async () => {
    const text = await (await download(danaJar, "/api/exports/sessions.csv")).text();
    expect(text).toContain('"Smith, ""Jo""\nJunior"');
    expect(text.split("\r\n")[0]).toBe(
      "Session ID,Start (UTC),End (UTC),Status,Event,Event type URI,Location type,Join URL,Invitee names,Invitee emails,No-show,Canceled by,Cancel reason",
    );
    expect(records(text)[0]?.["Invitee names"]).toBe(TRICKY_NAME);
  });

  it("neutralizes spreadsheet formulas in every cell", async () => {
    expect(neutralizeFormula("=1+1")).toBe("'=1+1");
    expect(neutralizeFormula("+1")).toBe("'+1");
    expect(neutralizeFormula("-1")).toBe("'-1");
    expect(neutralizeFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralizeFormula("\tx")).toBe("'\tx");
    expect(neutralizeFormula("Ann = Bob")).toBe("Ann = Bob");

    const sessionRows = records(
      await (await download(danaJar, "/api/exports/sessions.csv")).text(),
    );
    expect(sessionRows[1]?.["Invitee names"]).toBe(`'${FORMULA_NAME}`);
    expect(sessionRows[1]?.["Invitee emails"]).toBe("'+formula@client.test");
    expect(sessionRows[2]?.["Invitee names"]).toBe("'-Minus Start");
    expect(sessionRows[3]?.["Invitee names"]).toBe("'@Handle");

    const text = await (await download(danaJar, "/api/exports/invitees.csv")).text();
    const names = records(text).map((r) => r["Invitee name"]);
    expect(names).toContain(`'${FORMULA_NAME}`);
    expect(names).toContain("'-Minus Start");
    expect(names).toContain("'@Handle");
    expect(names).not.toContain(FORMULA_NAME);
  });

  it("applies the filters of GET /api/sessions", async () => {
    const cases = [
      "status=canceled",
      "status=active",
      "from=2026-12-02T00:00:00Z&to=2026-12-04T00:00:00Z",
      `eventType=${encodeURIComponent(`${API}/event_types/intro`)}`,
      "q=client3@",
      "q=Smith",
    ];
    for (const query of cases) {
      const rows = records(
        await (await download(danaJar, `/api/exports/sessions.csv?${query}`)).text(),
      );
      expect(
        rows.map((r) => r["Session ID"]),
        query,
      ).toEqual(await sessionIds(danaJar, query));
      expect(rows.length, query).toBeGreaterThan(0);
    }
    const canceled = records(
      await (await download(danaJar, "/api/exports/sessions.csv?status=canceled")).text(),
    );
    expect(canceled.map((r) => r.Status)).toEqual(["canceled"]);
    // limit/cursor do not apply: an export holds every match.
    const all = records(
      await (await download(danaJar, "/api/exports/sessions.csv?limit=1")).text(),
    );
    expect(all).toHaveLength(6);

    const bad = await api(danaJar, "/api/exports/sessions.csv?from=yesterday");
    expect(bad.status).toBe(400);
  });

  it("reads every match a chunk at a time, invitees included", async () => {
    const scope = { db: createDb(env.DB), coachId: danaId };
    const whole = await exportSessions(scope, {});
    for (const size of [1, 2, 4, 5, 6]) {
      const chunked = await exportSessions(scope, {}, size);
      expect(chunked.map((s) => [s.id, s.invitees.map((i) => i.id)])).toEqual(
        whole.map((s) => [s.id, s.invitees.map((i) => i.id)]),
      );
    }
    expect(whole.every((s) => s.invitees.length === 1)).toBe(true);
    const active = await exportSessions(scope, { status: "active" }, 2);
    expect(active.map((s) => s.id)).toEqual(await sessionIds(danaJar, "status=active"));
  });

  it("reads a chosen set of sessions by id, in start order, never another coach's", async () => {
    const scope = { db: createDb(env.DB), coachId: danaId };
    const whole = await exportSessions(scope, {});
    const ids = whole.map((s) => s.id);
    // More ids than D1 binds in one statement: read in chunks, merged back into start order.
    const unknown = Array.from({ length: 250 }, (_, i) => `ses_unknown_${i}`);
    const picked = [ids[4], ids[0], ids[2]] as string[];
    const selection = [...unknown.slice(0, 130), ...picked, leeSessionId, ...unknown.slice(130)];
    for (const size of [1, 500]) {
      const chosen = await exportSessions(scope, { ids: [...selection, ids[0] as string] }, size);
      expect(chosen.map((s) => [s.id, s.invitees.map((i) => i.id)])).toEqual(
        whole.filter((s) => picked.includes(s.id)).map((s) => [s.id, s.invitees.map((i) => i.id)]),
      );
    }
    const canceled = await exportSessions(scope, { ids, status: "canceled" });
    expect(canceled.map((s) => s.id)).toEqual(await sessionIds(danaJar, "status=canceled"));
    expect(await exportSessions(scope, { ids: [] })).toEqual([]);
  });

  it("exports one row per invitee", async () => {
    const res = await download(danaJar, "/api/exports/invitees.csv?status=canceled");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="invitees.csv"');
    const text = await res.text();
    expect(parseCsv(text)[0]).toEqual([
      "Session ID",
      "Session start (UTC)",
      "Event",
      "Invitee name",
      "Email",
      "Status",
      "No-show",
      "Rescheduled",
      "Canceled by",
      "Cancel reason",
    ]);
    expect(records(text)).toEqual([
      {
        "Session ID": (await sessionIds(danaJar, "status=canceled"))[0],
        "Session start (UTC)": "2026-12-05T15:00:00.000Z",
        Event: "Intro Call",
        "Invitee name": "Client 5",
        Email: "client5@client.test",
        Status: "canceled",
        "No-show": "no",
        Rescheduled: "no",
        "Canceled by": "Client 5",
        "Cancel reason": "Sick, sorry",
      },
    ]);
    const everyone = records(await (await download(danaJar, "/api/exports/invitees.csv")).text());
    expect(everyone).toHaveLength(6);
    expect(everyone.find((r) => r.Email === "client6@client.test")?.["No-show"]).toBe("yes");
  });

  it("exports sessions as one iCalendar file, a VEVENT each", async () => {
    const res = await download(danaJar, "/api/exports/sessions.ics");
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="sessions.ics"');
    const ics = (await res.text()).replace(/\r\n[ \t]/g, ""); // unfold long lines
    const ids = await sessionIds(danaJar);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(ids.length);
    for (const id of ids) expect(ics).toContain(`UID:${id}@kairos`);
    expect(ics).toContain("DTSTART:20261201T150000Z");
    expect(ics).toContain("DTEND:20261201T160000Z");
    expect(ics).toContain("SUMMARY:Intro Call with Client 5");
    expect(ics).toContain("URL;VALUE=URI:https://zoom.test/j/1");
    const events = ics.split("BEGIN:VEVENT").slice(1);
    const canceled = events.filter((e) => e.includes("STATUS:CANCELLED"));
    expect(canceled).toHaveLength(1);
    expect(canceled[0]).toContain("Client 5");
    expect(events.find((e) => e.includes("Minus Start"))).not.toContain("URL");

    const filtered = await (
      await download(danaJar, "/api/exports/sessions.ics?status=canceled")
    ).text();
    expect(filtered.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it("exports one session as iCalendar, and never another coach's", async () => {
    const [first] = await sessionIds(danaJar);
    const res = await download(danaJar, `/api/exports/sessions/${first}.ics`);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${first}.ics"`);
    const ics = await res.text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain(`UID:${first}@kairos`);

    expect((await api(leeJar, `/api/exports/sessions/${first}.ics`)).status).toBe(404);
    expect((await api(danaJar, `/api/exports/sessions/${leeSessionId}.ics`)).status).toBe(404);
    expect((await api(danaJar, "/api/exports/sessions/ses_nope.ics")).status).toBe(404);
  });

  it("keeps each coach's exports to their own sessions", async () => {
    for (const path of ["sessions.csv", "invitees.csv", "sessions.ics", "account.json"]) {
      const text = await (await download(danaJar, `/api/exports/${path}`)).text();
      expect(text, path).not.toContain(leeSessionId);
      expect(text, path).not.toContain("Lee's Client");
    }
    const leeRows = records(await (await download(leeJar, "/api/exports/sessions.csv")).text());
    expect(leeRows.map((r) => r["Session ID"])).toEqual([leeSessionId]);
  });

  it("exports the whole account as JSON without a single secret", async () => {
    const res = await download(danaJar, "/api/exports/account.json");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="account.json"');
    const text = await res.text();
    const data = JSON.parse(text) as {
      profile: { id: string; email: string };
      connections: { provider: string; status: string }[];
      sessions: { id: string; invitees: { email: string }[] }[];
      webhookSubscriptions: { uri: string }[];
      auditLog: { action: string; detail: Record<string, unknown> | null }[];
      webhookEvents: Record<string, unknown>[];
    };
    expect(data.profile).toMatchObject({ id: danaId, email: dana.email });
    expect(data.connections.map((c) => c.provider)).toContain("calendly");
    expect(data.sessions.map((s) => s.id)).toEqual(await sessionIds(danaJar));
    expect(data.sessions[0]?.invitees[0]?.email).toBe("client1@client.test");
    expect(data.webhookSubscriptions.map((s) => s.uri)).toContain(
      `${API}/webhook_subscriptions/export`,
    );
    expect(data.auditLog.find((a) => a.action === "test.secret")?.detail).toEqual({ kept: "yes" });
    expect(data.webhookEvents).toContainEqual({
      event: "invitee.created",
      status: "processed",
      receivedAt: expect.any(String),
    });

    // The real token ciphertext exists in D1 …
    const stored = await env.DB.prepare(
      "select access_token_enc as enc from provider_connections where coach_id = ?",
    )
      .bind(danaId)
      .first<{ enc: string }>();
    expect(stored?.enc).toMatch(/^v\d\./);
    // … and nothing of it, nor any other secret, reaches the export.
    const keys: string[] = [];
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === "string") strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          keys.push(k);
          walk(x);
        }
    };
    walk(data);
    expect(keys.filter((k) => /(Enc|_enc)$/.test(k) || /hash|signing/i.test(k))).toEqual([]);
    expect(strings.filter((s) => /^v\d+\./.test(s))).toEqual([]);
    expect(text).not.toContain(stored?.enc ?? "<none>");
    expect(text).not.toContain("raw payload");
    expect(keys).not.toContain("payload");
  });

  it("documents the exports in /openapi.json", async () => {
    const res = await api(danaJar, "/openapi.json");
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      "/api/exports/sessions.csv",
      "/api/exports/invitees.csv",
      "/api/exports/sessions.ics",
      "/api/exports/sessions/{id}.ics",
      "/api/exports/account.json",
      "/api/batches/{id}/sessions.csv",
      "/api/batches/{id}/sessions.ics",
    ])
      expect(doc.paths[path]?.get, path).toBeDefined();
  });

  it("requires a session", async () => {
    const { exports } = await import("cloudflare:workers");
    for (const path of ["sessions.csv", "invitees.csv", "sessions.ics", "account.json"]) {
      const res = await exports.default.fetch(`http://kairos.test/api/exports/${path}`);
      expect(res.status, path).toBe(401);
    }
    const one = await exports.default.fetch("http://kairos.test/api/exports/sessions/x.ics");
    expect(one.status).toBe(401);
  });
});
