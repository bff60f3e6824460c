import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { syncNextPage } from "../../../worker/bookings/reconcile";
import { createDb } from "../../../worker/db/client";
import type { CookieJar } from "../helpers/cookies";
import { readyCoach } from "../helpers/public-booking";
import { api } from "../helpers/sign-in";
import { syncWindow } from "../helpers/sync-run";

type Client = {
  email: string;
  name: string;
  sessionsSoFar: number;
  nextSession: string | null;
  lastSession: string | null;
  noShows: number;
  firstBooked: string;
  totalSessions: number;
};
type ClientDetail = Client & {
  sessions: { id: string; startTime: string; invitees: { email: string }[] }[];
};
type Page = { items: Client[]; nextCursor: string | null };

const DAY = 86_400_000;

/** Signs the coach in (once per file) and imports their sandbox sessions, 90 days back, 60 ahead. */
async function importSessions(email: string) {
  const coach = await readyCoach(email);
  const scope = { db: createDb(env.DB), coachId: coach.id };
  await syncWindow(scope, {
    start: new Date(Date.now() - 90 * DAY),
    end: new Date(Date.now() + 60 * DAY),
  });
  return coach;
}

let seq = 0;
/** A session with one invitee, written straight to D1 (a client only Dana has). */
async function addBooking(
  coachId: string,
  b: {
    email: string;
    name: string;
    startsAt: number;
    status?: "active" | "canceled";
    inviteeStatus?: "active" | "canceled";
    noShow?: boolean;
  },
) {
  const n = ++seq;
  await env.DB.batch([
    env.DB.prepare(
      `insert into sessions (id, coach_id, calendly_uri, name, status, starts_at, ends_at)
       values (?, ?, ?, 'Extra', ?, ?, ?)`,
    ).bind(
      `ses_extra${n}`,
      coachId,
      `https://calendly.test/extra/${n}`,
      b.status ?? "active",
      b.startsAt,
      b.startsAt + 1_800_000,
    ),
    env.DB.prepare(
      `insert into invitees (id, coach_id, session_id, calendly_uri, email, name, status, no_show_uri)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      `inv_extra${n}`,
      coachId,
      `ses_extra${n}`,
      `https://calendly.test/extra/${n}/invitee`,
      b.email,
      b.name,
      b.inviteeStatus ?? "active",
      b.noShow ? `https://calendly.test/no_shows/${n}` : null,
    ),
  ]);
}

/** The expected clients of a coach, computed from the raw rows (independently of the API). */
async function expectedClients(coachId: string) {
  const { results } = await env.DB.prepare(
    `select lower(i.email) as key, i.email, i.name, i.created_at, i.no_show_uri, i.status as inv_status,
       s.id as session_id, s.status, s.starts_at
     from invitees i join sessions s on s.id = i.session_id
     where i.coach_id = ?1 and s.coach_id = ?1
     order by s.starts_at desc, i.created_at desc, i.id desc`,
  )
    .bind(coachId)
    .all<{
      key: string;
      email: string;
      name: string;
      created_at: number;
      no_show_uri: string | null;
      inv_status: string;
      session_id: string;
      status: string;
      starts_at: number;
    }>();
  const now = Date.now();
  const byKey = new Map<string, typeof results>();
  for (const r of results) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return new Map(
    [...byKey].map(([key, rows]) => {
      const active = rows.filter((r) => r.status === "active" && r.inv_status === "active");
      const past = active.filter((r) => r.starts_at <= now).map((r) => r.starts_at);
      const future = active.filter((r) => r.starts_at > now).map((r) => r.starts_at);
      const latest = rows[0];
      return [
        key,
        {
          email: latest?.email,
          name: latest?.name,
          sessionsSoFar: new Set(active.filter((r) => r.starts_at <= now).map((r) => r.session_id))
            .size,
          nextSession: iso(future.length ? Math.min(...future) : undefined),
          lastSession: iso(past.length ? Math.max(...past) : undefined),
          noShows: rows.filter((r) => r.no_show_uri !== null).length,
          firstBooked: new Date(
            Math.min(...rows.flatMap((r) => [r.created_at, r.starts_at])),
          ).toISOString(),
          totalSessions: new Set(rows.map((r) => r.session_id)).size,
        } satisfies Partial<Client>,
      ];
    }),
  );
}

async function list(jar: CookieJar, query = "") {
  const res = await api(jar, `/api/clients?limit=100&${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

const detail = (jar: CookieJar, email: string) =>
  api(jar, `/api/clients/${encodeURIComponent(email)}`);

describe("clients", { timeout: 60_000 }, () => {
  let dana: Awaited<ReturnType<typeof importSessions>>;
  let lee: Awaited<ReturnType<typeof importSessions>>;

  beforeAll(async () => {
    dana = await importSessions("dana@coach.test");
    lee = await importSessions("lee@coach.test");
    const now = Date.now();
    // A client only Dana has, booked under two spellings of one email and two names.
    await addBooking(dana.id, {
      email: "zed.only@client.test",
      name: "Zed O'Only",
      startsAt: now - 20 * DAY,
      noShow: true,
    });
    await addBooking(dana.id, {
      email: "zed.only@client.test",
      name: "Zed O'Only",
      startsAt: now - 10 * DAY,
      inviteeStatus: "canceled",
    });
    await addBooking(dana.id, {
      email: "Zed.Only@Client.TEST",
      name: "Zed Only",
      startsAt: now + 5 * DAY,
    });
    await addBooking(dana.id, {
      email: "pct@client.test",
      name: "100%_Club",
      startsAt: now - 3 * DAY,
      status: "canceled",
    });
  }, 120_000);

  it("lists every client once, sorted by name, with counts matching the raw data", async () => {
    const expected = await expectedClients(dana.id);
    const { items, nextCursor } = await list(dana.jar);
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(expected.size);
    expect(new Set(items.map((c) => c.email.toLowerCase())).size).toBe(items.length);
    for (const c of items) expect(c).toEqual(expected.get(c.email.toLowerCase()));
    const order = items.map((c) => [c.name.toLowerCase(), c.email.toLowerCase()].join("\u0000"));
    expect(order).toEqual([...order].sort());

    const zed = items.find((c) => c.email.toLowerCase() === "zed.only@client.test");
    expect(zed).toMatchObject({
      email: "Zed.Only@Client.TEST",
      name: "Zed Only",
      sessionsSoFar: 1,
      noShows: 1,
      totalSessions: 3,
    });
    expect(zed?.nextSession).not.toBeNull();
    // The seed's clients, with sessions before and after today.
    const sam = items.find((c) => c.email === "sam.rivera@client.test");
    expect(sam?.sessionsSoFar).toBeGreaterThan(0);
    expect(sam?.totalSessions).toBeGreaterThan(sam?.sessionsSoFar ?? 0);
  });

  it("filters by name or email, with % and _ matching only themselves", async () => {
    expect((await list(dana.jar, "q=sam")).items.map((c) => c.email)).toEqual([
      "sam.rivera@client.test",
    ]);
    expect((await list(dana.jar, "q=ZED.ONLY")).items.map((c) => c.name)).toEqual(["Zed Only"]);
    // An older booking's name still finds the client.
    expect((await list(dana.jar, `q=${encodeURIComponent("O'Only")}`)).items).toHaveLength(1);
    expect((await list(dana.jar, "q=%25_")).items.map((c) => c.name)).toEqual(["100%_Club"]);
    expect((await list(dana.jar, "q=%25")).items.map((c) => c.name)).toEqual(["100%_Club"]);
    expect((await list(dana.jar, "q=nobody-at-all")).items).toEqual([]);
    expect((await api(dana.jar, "/api/clients?limit=0")).status).toBe(400);
  });

  it("pages through every client exactly once with limit=3", async () => {
    const all = (await list(dana.jar)).items.map((c) => c.email);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const query: string = `/api/clients?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = (await (await api(dana.jar, query)).json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c) => c.email));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(all);
  });

  it("shows one client's whole history, newest first, case-insensitively", async () => {
    const res = await detail(dana.jar, "ZED.ONLY@client.test");
    expect(res.status).toBe(200);
    const zed = (await res.json()) as ClientDetail;
    expect(zed).toMatchObject({ name: "Zed Only", totalSessions: 3 });
    expect(zed.sessions).toHaveLength(3);

    const sam = (await (await detail(dana.jar, "sam.rivera@client.test")).json()) as ClientDetail;
    const { results } = await env.DB.prepare(
      `select distinct s.id from sessions s join invitees i on i.session_id = s.id
       where s.coach_id = ? and lower(i.email) = 'sam.rivera@client.test'
       order by s.starts_at desc`,
    )
      .bind(dana.id)
      .all<{ id: string }>();
    expect(sam.sessions.map((s) => s.id)).toEqual(results.map((r) => r.id));
    expect(sam.sessions.length).toBe(sam.totalSessions);
    for (const s of sam.sessions)
      expect(s.invitees.some((i) => i.email === "sam.rivera@client.test")).toBe(true);

    expect((await detail(dana.jar, "nobody@client.test")).status).toBe(404);
  });

  it("never shows Lee Dana's clients or Dana's sessions of a shared client", async () => {
    const leeClients = (await list(lee.jar)).items;
    expect(leeClients.map((c) => c.email.toLowerCase())).not.toContain("zed.only@client.test");
    const expected = await expectedClients(lee.id);
    expect(leeClients).toHaveLength(expected.size);
    for (const c of leeClients) expect(c).toEqual(expected.get(c.email.toLowerCase()));
    expect((await detail(lee.jar, "zed.only@client.test")).status).toBe(404);
    expect((await detail(lee.jar, "pct@client.test")).status).toBe(404);

    const danaSessions = new Set(
      (
        (await (await detail(dana.jar, "sam.rivera@client.test")).json()) as ClientDetail
      ).sessions.map((s) => s.id),
    );
    const leeSam = (await (await detail(lee.jar, "sam.rivera@client.test")).json()) as ClientDetail;
    expect(leeSam.sessions.length).toBeGreaterThan(0);
    expect(leeSam.sessions.some((s) => danaSessions.has(s.id))).toBe(false);
  });

  it("requires a session", async () => {
    const { CookieJar } = await import("../helpers/cookies");
    expect((await api(new CookieJar(), "/api/clients")).status).toBe(401);
  });
});
