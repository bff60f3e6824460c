#!/usr/bin/env node
/**
 * `npm run chaos`: drives the sandbox Calendly through many bookings, cancellations, reschedules and
 * no-shows while its webhooks are lost (20 %), duplicated (20 %) and delayed/reordered (30 %); then
 * flushes late deliveries, runs a reconcile ("Sync now") and checks that Kairos matches Calendly
 * record for record, and that the outbox holds exactly one domain event per logical change: every
 * booking, cancellation and reschedule (each reschedule as ONE move naming both sessions and both
 * times, never a cancel plus a booking), and every no-show mark and clear that Calendly's deliveries
 * or its final state reveal (one marked and cleared while all its deliveries were lost leaves no
 * trace anywhere, so no event can be asked for it).
 * Env: CHAOS_OPS (default 1000).
 */
import { spawnSync } from "node:child_process";
import { TZDate } from "@date-fns/tz";
import { bin, d1, root, startLocalApp } from "./local-app.mjs";

const OPS = Number(process.env.CHAOS_OPS ?? 1000);
const COACH = "dana@coach.test";
const TZ = "America/New_York";
const started = Date.now();

const app = await startLocalApp();
const { origin } = app;
/** A keep-alive socket the dev server closed while busy fails once: that request is sent again. */
const fetchAgainOnReset = (url, init) =>
  fetch(url, init).catch((err) => {
    if (err?.cause?.code !== "UND_ERR_SOCKET") throw err;
    return fetch(url, init);
  });
const control = (path, body) =>
  fetchAgainOnReset(
    `${origin}/sandbox/calendly/control${path}`,
    body
      ? {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }
      : {},
  );
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** d1() for answers too big for the default 1 MB pipe (every no-show delivery of a long run). */
function d1Rows(state, sql) {
  const out = spawnSync(
    bin("wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
    { cwd: root, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
  );
  if (out.status !== 0) throw new Error(`d1 execute failed: ${out.stderr}`);
  return JSON.parse(out.stdout)[0]?.results ?? [];
}

/**
 * The no-show marks and clears Kairos can know of. Sightings of an invitee's no-show state are
 * the deliveries Kairos accepted (each says the state as of its created_at) and the final state
 * reconcile reads. A mark is knowable when some sighting shows it; its clear is knowable when a
 * later sighting shows another state.
 */
function knowableNoShowChanges(state, finalNoShow) {
  const rows = d1Rows(
    state,
    `select status, json_extract(body, '$.event') as event, json_extract(body, '$.created_at') as at,
       json_extract(body, '$.payload.uri') as uri, json_extract(body, '$.payload.no_show.uri') as ns,
       json_extract(body, '$.payload.no_show.created_at') as nsAt
     from sandbox_calendly_deliveries
     where json_extract(body, '$.payload.uri') in (select json_extract(body, '$.payload.uri')
       from sandbox_calendly_deliveries where json_extract(body, '$.event') like 'invitee_no_show.%')`,
  );
  const byInvitee = new Map();
  for (const r of rows) {
    const list = byInvitee.get(r.uri) ?? [];
    list.push(r);
    byInvitee.set(r.uri, list);
  }
  let marks = 0;
  let clears = 0;
  for (const [uri, list] of byInvitee) {
    const markedAt = new Map(); // no-show URI → when it was made (known from any delivery, even lost)
    for (const r of list) if (r.ns) markedAt.set(r.ns, Date.parse(r.nsAt ?? r.at));
    const latest = [...markedAt].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    const sightings = list
      .filter((r) => r.status === "delivered")
      .map((r) => ({ at: Date.parse(r.at), ns: r.ns ?? null }));
    if (finalNoShow.has(uri)) {
      sightings.push({ at: Number.POSITIVE_INFINITY, ns: finalNoShow.get(uri) ? latest : null });
    }
    for (const ns of new Set(sightings.map((x) => x.ns).filter(Boolean))) {
      marks++;
      const at = markedAt.get(ns) ?? 0;
      if (sightings.some((x) => x.at > at && x.ns !== ns)) clears++;
    }
  }
  return { marks, clears };
}

/** booking.rescheduled events that name both sessions and both times. */
const MOVES_SQL = `select count(*) as n from domain_events where type = 'booking.rescheduled'
  and json_extract(payload, '$.fromSessionId') is not null and json_extract(payload, '$.toSessionId') is not null
  and json_extract(payload, '$.fromStartTime') is not null and json_extract(payload, '$.toStartTime') is not null`;

async function signIn() {
  const start = await fetch(`${origin}/oauth/calendly/start`, { redirect: "manual" });
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const authorize = new URL(start.headers.get("location"));
  authorize.searchParams.set("sandbox_user", COACH);
  const approved = await fetch(authorize, { redirect: "manual" });
  const back = await fetch(approved.headers.get("location"), {
    redirect: "manual",
    headers: { cookie },
  });
  return back.headers
    .getSetCookie()
    .find((c) => c.startsWith("__Host-kairos_session="))
    .split(";")[0];
}

/**
 * Waits for every sync run to finish. A full reconcile reads each event's invitees from Calendly,
 * one call an event, and Calendly allows a user 500 calls a minute (the fake too): a long run's
 * reconcile takes minutes by design, so the wait grows with it (and says how far it got).
 */
async function waitForSync(session, label, minutes = 5) {
  let runs = { items: [] };
  const until = Date.now() + minutes * 60_000;
  let lastReport = Date.now();
  while (Date.now() < until) {
    runs = await (await fetch(`${origin}/api/sync-runs`, { headers: { cookie: session } })).json();
    if (runs.items.length && runs.items.every((r) => r.status !== "running")) return runs.items[0];
    if (Date.now() - lastReport > 30_000) {
      const r = runs.items.find((x) => x.status === "running");
      if (r)
        console.log(`  ${label}: ${r.pages ?? "?"} pages, ${r.recordsSeen ?? "?"} invitees read…`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
  throw new Error(`${label} did not finish: ${JSON.stringify(runs.items?.slice(0, 3))}`);
}

/** Half-hour starts inside Dana's hours, 2 to 80 days out (inside the 90-day reconcile window). */
function candidateSlots() {
  const slots = [];
  for (let d = 2; d <= 80; d++) {
    const day = new TZDate(Date.now() + d * 86_400_000, TZ);
    if (day.getDay() === 0 || day.getDay() === 6) continue;
    for (const [h, m] of [
      [9, 0],
      [9, 30],
      [10, 0],
      [10, 30],
      [11, 0],
      [11, 30],
      [13, 0],
      [13, 30],
      [14, 0],
      [14, 30],
      [15, 0],
      [15, 30],
      [16, 0],
      [16, 30],
    ]) {
      slots.push(
        new Date(
          new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), h, m, TZ).getTime(),
        ).toISOString(),
      );
    }
  }
  return slots.sort(() => Math.random() - 0.5);
}

try {
  const session = await signIn();
  for (let i = 0; i < 60; i++) {
    const state = await (await control("/state")).json();
    if (state.subscriptions.some((s) => s.ownerEmail === COACH && s.state === "active")) break;
    await sleep(250);
  }
  await waitForSync(session, "first import");
  const baselineMoves = d1(app.state, MOVES_SQL)[0].n;
  const baseline = Object.fromEntries(
    d1(app.state, "select type, count(*) as n from domain_events group by type").map((r) => [
      r.type,
      r.n,
    ]),
  );
  await control("/settings", { webhookMode: "chaos", rateLimitPerMinute: 100000 });
  const chaosStart = new Date().toISOString();

  const expected = {
    "booking.created": 0,
    "booking.canceled": 0,
    "booking.rescheduled": 0,
  };
  const noShowOps = { marks: 0, clears: 0 };
  const active = []; // invitee URIs we booked and that are still active
  const marked = new Set();
  const slotOf = new Map(); // invitee URI → its start time, so freed slots can be booked again
  const slots = candidateSlots();
  let done = 0;
  while (done < OPS) {
    const r = Math.random();
    let ok = false;
    if (r < 0.45 || active.length < 5) {
      const startTime = slots.pop();
      if (!startTime) break;
      const res = await control("/book", {
        coachEmail: COACH,
        eventTypeSlug: "intro-call",
        startTime,
        invitee: { name: `Chaos ${done}`, email: `chaos${done}@client.test` },
      });
      if (res.status === 201) {
        const { invitee } = await res.json();
        active.push(invitee);
        slotOf.set(invitee, startTime);
        expected["booking.created"]++;
        ok = true;
      }
    } else if (r < 0.65) {
      const inviteeUri = active.splice(Math.floor(Math.random() * active.length), 1)[0];
      ok = (await control("/cancel", { inviteeUri, canceledBy: "invitee" })).status === 200;
      marked.delete(inviteeUri);
      if (ok) {
        expected["booking.canceled"]++;
        slots.unshift(slotOf.get(inviteeUri));
      }
    } else if (r < 0.85) {
      const i = Math.floor(Math.random() * active.length);
      const newStartTime = slots.pop();
      if (!newStartTime) break;
      const res = await control("/reschedule", { inviteeUri: active[i], newStartTime });
      if (res.status === 201) {
        marked.delete(active[i]); // the old invitee keeps its no-show; the new one has none
        slots.unshift(slotOf.get(active[i]));
        active[i] = (await res.json()).invitee;
        slotOf.set(active[i], newStartTime);
        expected["booking.rescheduled"]++;
        ok = true;
      }
    } else if (marked.size > 0 && Math.random() < 0.4) {
      // Clear a no-show: mark → clear → mark → clear on one invitee must converge too.
      const inviteeUri = [...marked][Math.floor(Math.random() * marked.size)];
      if ((await control("/no-show", { inviteeUri, noShow: false })).status === 200) {
        marked.delete(inviteeUri);
        noShowOps.clears++;
        ok = true;
      }
    } else {
      const candidates = active.filter((u) => !marked.has(u));
      const inviteeUri = candidates[Math.floor(Math.random() * candidates.length)];
      if (inviteeUri && (await control("/no-show", { inviteeUri, noShow: true })).status === 200) {
        marked.add(inviteeUri);
        noShowOps.marks++;
        ok = true;
      }
    }
    if (ok) done++;
    if (done % 100 === 0 && ok) console.log(`  ${done} changes made…`);
  }

  // Stop the chaos, deliver whatever was delayed, let the queue drain, then reconcile.
  await control("/settings", { webhookMode: "normal" });
  for (let i = 0; i < 40; i++) {
    await fetch(`${origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    const pending = d1(
      app.state,
      "select count(*) as n from sandbox_calendly_deliveries where status = 'pending'",
    )[0].n;
    if (pending === 0) break;
  }
  await sleep(3000);
  await waitForSync(session, "pending syncs");
  await fetch(`${origin}/api/sync`, { method: "POST", headers: { cookie: session } });
  // About one Calendly call per event in the window, at most 500 a minute, plus slack.
  const run = await waitForSync(session, "reconcile", 5 + Math.ceil(OPS / 250));
  const runs = (
    await (await fetch(`${origin}/api/sync-runs`, { headers: { cookie: session } })).json()
  ).items.filter((r) => r.startedAt >= chaosStart);
  const repaired = runs.reduce((n, r) => n + r.recordsFixed, 0);

  // Compare Calendly (the fake) and Kairos, invitee by invitee, inside the reconcile window.
  const truth = (
    await (await control(`/export?coachEmail=${encodeURIComponent(COACH)}`)).json()
  ).invitees.filter(
    (i) =>
      i.startTime &&
      Date.parse(i.startTime) > Date.now() &&
      Date.parse(i.startTime) < Date.parse(run.windowEnd),
  );
  const mirror = new Map(
    d1(
      app.state,
      "select i.calendly_uri as uri, i.status, i.no_show_uri is not null as noShow, s.status as eventStatus, s.starts_at as startsAt from invitees i join sessions s on s.id = i.session_id",
    ).map((r) => [r.uri, r]),
  );
  const mismatches = truth.filter((t) => {
    const m = mirror.get(t.uri);
    return (
      !m ||
      m.status !== t.status ||
      Boolean(m.noShow) !== t.noShow ||
      m.eventStatus !== t.eventStatus ||
      m.startsAt !== Date.parse(t.startTime)
    );
  });
  const after = Object.fromEntries(
    d1(app.state, "select type, count(*) as n from domain_events group by type").map((r) => [
      r.type,
      r.n,
    ]),
  );
  const knowable = knowableNoShowChanges(app.state, new Map(truth.map((t) => [t.uri, t.noShow])));
  expected["invitee.no_show_marked"] = knowable.marks;
  expected["invitee.no_show_cleared"] = knowable.clears;
  const perChange = Object.fromEntries(
    Object.entries(expected).map(([type, n]) => [
      type,
      { changes: n, events: (after[type] ?? 0) - (baseline[type] ?? 0) },
    ]),
  );
  const moves = d1(app.state, MOVES_SQL)[0].n - baselineMoves;
  // A move is never also a cancel of its old half or a booking of its new half.
  const halves = d1(
    app.state,
    `select
       (select count(*) from domain_events d join invitees i on i.calendly_uri = json_extract(d.payload, '$.inviteeUri')
         where d.type = 'booking.canceled' and i.rescheduled = 1) as canceledOld,
       (select count(*) from domain_events d join invitees i on i.calendly_uri = json_extract(d.payload, '$.inviteeUri')
         where d.type = 'booking.created' and i.old_invitee_uri is not null) as createdNew`,
  )[0];
  const deliveries = Object.fromEntries(
    d1(
      app.state,
      "select status, count(*) as n from sandbox_calendly_deliveries group by status",
    ).map((r) => [r.status, r.n]),
  );
  const exact =
    Object.values(perChange).every((v) => v.changes === v.events) &&
    moves === expected["booking.rescheduled"] &&
    halves.canceledOld === 0 &&
    halves.createdNew === 0;

  console.log(`\nChaos check (${done} logical changes; deliveries: ${JSON.stringify(deliveries)})`);
  console.log(`  records compared:   ${truth.length}`);
  console.log(
    `  mismatches:         ${mismatches.length}${mismatches.length ? `  e.g. ${JSON.stringify(mismatches.slice(0, 3))}` : ""}`,
  );
  console.log(
    `  repaired by syncs:  ${repaired} records in ${runs.length} run(s) (scheduled and "Sync now")`,
  );
  for (const [type, v] of Object.entries(perChange))
    console.log(
      `  ${type.padEnd(24)} changes ${String(v.changes).padStart(4)}  events ${String(v.events).padStart(4)}`,
    );
  console.log(
    `  no-show operations: ${noShowOps.marks} marks, ${noShowOps.clears} clears (knowable: ${knowable.marks} marks, ${knowable.clears} clears)`,
  );
  console.log(
    `  reschedules as moves: ${moves} of ${expected["booking.rescheduled"]} (one event with both sessions and times)`,
  );
  console.log(
    `  halves recorded apart: ${halves.canceledOld} canceled old, ${halves.createdNew} created new (must be 0)`,
  );
  console.log(`  one event per change: ${exact ? "yes" : "NO"}`);
  console.log(`  time taken:         ${((Date.now() - started) / 1000).toFixed(1)} s`);
  app.stop();
  process.exit(mismatches.length === 0 && exact ? 0 : 1);
} catch (err) {
  console.error(err);
  app.stop();
  process.exit(1);
}
