#!/usr/bin/env node
/**
 * `npm run chaos`: drives the sandbox Calendly through many bookings, cancellations, reschedules and
 * no-shows while its webhooks are lost (20 %), duplicated (20 %) and delayed/reordered (30 %); then
 * flushes late deliveries, runs a reconcile ("Sync now") and checks that Kairos matches Calendly
 * record for record, and that the outbox holds exactly one domain event per logical change.
 * Env: CHAOS_OPS (default 1000).
 */
import { TZDate } from "@date-fns/tz";
import { d1, startLocalApp } from "./local-app.mjs";

const OPS = Number(process.env.CHAOS_OPS ?? 1000);
const COACH = "dana@coach.test";
const TZ = "America/New_York";
const started = Date.now();

const app = await startLocalApp();
const { origin } = app;
const control = (path, body) =>
  fetch(
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
    .find((c) => c.startsWith("kairos_session="))
    .split(";")[0];
}

async function waitForSync(session, label) {
  for (let i = 0; i < 600; i++) {
    const runs = await (
      await fetch(`${origin}/api/sync-runs`, { headers: { cookie: session } })
    ).json();
    if (runs.items.length && runs.items.every((r) => r.status !== "running")) return runs.items[0];
    await sleep(500);
  }
  throw new Error(`${label} did not finish`);
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
    "invitee.no_show_marked": 0,
  };
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
        const wasMarked = marked.delete(active[i]);
        slots.unshift(slotOf.get(active[i]));
        active[i] = (await res.json()).invitee;
        slotOf.set(active[i], newStartTime);
        if (wasMarked) marked.add(active[i]);
        expected["booking.rescheduled"]++;
        ok = true;
      }
    } else {
      const candidates = active.filter((u) => !marked.has(u));
      const inviteeUri = candidates[Math.floor(Math.random() * candidates.length)];
      if (inviteeUri && (await control("/no-show", { inviteeUri, noShow: true })).status === 200) {
        marked.add(inviteeUri);
        expected["invitee.no_show_marked"]++;
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
  const run = await waitForSync(session, "reconcile");
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
  const perChange = Object.fromEntries(
    Object.entries(expected).map(([type, n]) => [
      type,
      { changes: n, events: (after[type] ?? 0) - (baseline[type] ?? 0) },
    ]),
  );
  const deliveries = Object.fromEntries(
    d1(
      app.state,
      "select status, count(*) as n from sandbox_calendly_deliveries group by status",
    ).map((r) => [r.status, r.n]),
  );
  const exact = Object.values(perChange).every((v) => v.changes === v.events);

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
  console.log(`  one event per change: ${exact ? "yes" : "NO"}`);
  console.log(`  time taken:         ${((Date.now() - started) / 1000).toFixed(1)} s`);
  app.stop();
  process.exit(mismatches.length === 0 && exact ? 0 : 1);
} catch (err) {
  console.error(err);
  app.stop();
  process.exit(1);
}
