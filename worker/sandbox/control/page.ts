/**
 * The /sandbox control page: one self-contained HTML document (no external assets) whose small
 * script drives the fakes' JSON control APIs — act as a client (book, cancel, reschedule, no-show),
 * run a Zoom meeting scenario, break webhooks or the Calendly connection on purpose (expired or
 * revoked tokens, a next sign-in missing a scope, 5xx bursts, timeouts, 429s), and watch deliveries.
 */
export const controlPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kairos sandbox</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2937;background:#f9fafb}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
section{background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:1rem;margin:1rem 0}
label{display:block;margin:.25rem 0}input,select,button{font:inherit;padding:.35rem .5rem;border-radius:6px;border:1px solid #d1d5db;max-width:100%}
button{background:#4f46e5;color:#fff;border-color:#4f46e5;cursor:pointer}button.ghost{background:#fff;color:#374151;border-color:#d1d5db}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.muted{color:#6b7280;font-size:.9rem}
table{width:100%;border-collapse:collapse;font-size:.9rem}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #f3f4f6;vertical-align:top}
.scroll{overflow-x:auto}#status{position:sticky;top:0;padding:.5rem 1rem;margin:0;background:#ecfdf5;color:#065f46;display:none}
#status.error{background:#fef2f2;color:#b91c1c}.links a{margin-right:1rem}
</style></head><body>
<p id="status" role="status" aria-live="polite"></p>
<main>
<h1>Kairos sandbox</h1>
<p class="muted">Fake Calendly and Zoom for local development (SANDBOX=1). Act as a client here, then watch Kairos react.</p>
<p class="links"><a href="/oauth/calendly/start">Sign in to Kairos (as Dana or Lee)</a><a href="/">Open Kairos</a><a href="/api/docs">API docs</a></p>

<section><h2>Book as a client</h2>
<div class="row">
<label>Coach <select id="coach"></select></label>
<label>Event type <select id="etype"></select></label>
<label>Time <select id="slot"></select></label>
</div>
<div class="row">
<label>Client name <input id="cname" value="Sam Rivera" required></label>
<label>Client email <input id="cemail" type="email" value="sam.rivera@client.test" required></label>
<button id="book">Book</button>
</div></section>

<section><h2>Upcoming events</h2><div class="scroll"><table><thead><tr><th>When</th><th>Coach</th><th>Event</th><th>Client</th><th>Actions</th></tr></thead><tbody id="events"></tbody></table></div></section>

<section><h2>Zoom meeting</h2>
<p class="muted">Simulate what happens in a Zoom meeting created by Kairos.</p>
<div class="row"><label>Meeting <select id="meeting"></select></label>
<label>Scenario <select id="scenario"><option value="attended">Client attended</option><option value="client_no_show">Client never came</option><option value="nobody_came">Nobody came</option><option value="waiting_room_never_admitted">Client never admitted from the waiting room</option><option value="client_waited_for_late_host">Client waited for a late coach</option><option value="coach_no_show">Coach never started</option><option value="drop_and_rejoin">Client dropped and re-joined</option><option value="guest_no_email">Client joined as a guest without email</option></select></label>
<label>Webhooks <select id="zdrop"><option value="">all delivered</option><option value="meeting.ended">meeting.ended lost</option><option value="all">all lost</option></select></label>
<label>Timing <select id="zclock"><option value="now">ending now (attendance at once)</option><option value="scheduled">at the scheduled time</option></select></label>
<button id="simulate">Run scenario</button></div>
<p class="muted">Or one click per scenario, for the meeting chosen above (then open the session in Kairos: its Attendance panel shows the verdict):</p>
<div class="row" id="zbuttons"></div><p id="zoomnote" class="muted"></p></section>

<section><h2>Webhooks and limits</h2>
<div class="row">
<label>Calendly webhook mode <select id="mode"><option>normal</option><option>duplicate</option><option>lost</option><option>out_of_order</option><option>delayed</option></select></label>
<label>Calendly rate limit / min <input id="rate" type="number" min="1" max="100000"></label>
<button id="save" class="ghost">Save</button></div>
</section>

<section><h2>Break the Calendly connection</h2>
<p class="muted">For the coach chosen under "Book as a client". Then use Kairos and watch it recover.</p>
<div class="row"><button id="expire" class="ghost">Expire access token now</button><button id="revoke" class="ghost">Revoke refresh token</button></div>
<div class="row"><label>Next sign-in leaves out <select id="withhold"><option>scheduled_events:write</option><option>webhooks:write</option><option>availability:read</option><option>event_types:write</option><option>users:read</option></select></label><button id="scopes" class="ghost">Withhold on the next sign-in</button></div>
<div class="row">
<label>Fault <select id="fkind"><option value="5xx">5xx burst</option><option value="timeout">Timeouts (12 s)</option><option value="429">429 rate limited</option></select></label>
<label>Count <input id="fcount" type="number" min="1" max="1000" value="5"></label>
<label>Retry-After (s) <input id="fretry" type="number" min="1" max="3600" value="30"></label>
<button id="fstart">Start</button><button id="fstop" class="ghost">Stop</button></div>
<p id="factive" class="muted"></p></section>

<section><h2>Recent Calendly deliveries</h2><div class="scroll"><table><thead><tr><th>Event</th><th>Status</th><th>Attempts</th><th>Last HTTP</th><th>At</th></tr></thead><tbody id="deliveries"></tbody></table></div></section>
</main>
<script type="module">
const $ = (id) => document.getElementById(id);
let state;
function say(text, error) { const s = $("status"); s.textContent = text; s.className = error ? "error" : ""; s.style.display = "block"; }
async function call(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || data.error?.message || "Request failed (" + res.status + ")");
  return data;
}
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
const when = (iso, tz) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: tz });
function fill(select, items) { select.innerHTML = items.map(([v, t]) => '<option value="' + esc(v) + '">' + esc(t) + "</option>").join(""); }
async function loadSlots() {
  const coach = $("coach").value, et = $("etype").value;
  if (!coach || !et) return fill($("slot"), []);
  const data = await call("/sandbox/calendly/control/slots?coachEmail=" + encodeURIComponent(coach) + "&eventTypeSlug=" + encodeURIComponent(et));
  fill($("slot"), data.slots.map((s) => [s, when(s, data.timezone)]));
}
function fillTypes() { fill($("etype"), state.eventTypes.filter((t) => t.ownerEmail === $("coach").value).map((t) => [t.slug, t.name + " (" + t.duration + " min)"])); return loadSlots(); }
async function refresh() {
  state = await call("/sandbox/calendly/control/state");
  const coach = $("coach").value;
  fill($("coach"), state.users.map((u) => [u.email, u.name]));
  if (coach) $("coach").value = coach; else await fillTypes();
  const tz = Object.fromEntries(state.users.map((u) => [u.email, u.timezone]));
  $("events").innerHTML = state.events.filter((e) => e.status === "active").map((e) => e.invitees.filter((i) => i.status === "active").map((i) =>
    "<tr><td>" + esc(when(e.startTime, tz[e.ownerEmail])) + "</td><td>" + esc(e.ownerEmail) + "</td><td>" + esc(e.name) + "</td><td>" + esc(i.name) + (i.noShow ? " (no-show)" : "") +
    '</td><td><button class="ghost" data-act="cancel" data-uri="' + esc(i.uri) + '">Cancel</button> <button class="ghost" data-act="reschedule" data-uri="' + esc(i.uri) + '" data-coach="' + esc(e.ownerEmail) + '">Reschedule</button> <button class="ghost" data-act="noshow" data-noshow="' + (!i.noShow) + '" data-uri="' + esc(i.uri) + '">' + (i.noShow ? "Clear no-show" : "No-show") + "</button></td></tr>").join("")).join("") || '<tr><td colspan="5" class="muted">No upcoming events.</td></tr>';
  $("deliveries").innerHTML = state.deliveries.map((d) => "<tr><td>" + esc(d.event) + "</td><td>" + esc(d.status) + "</td><td>" + d.attempts + "</td><td>" + esc(d.lastStatus ?? "—") + "</td><td>" + esc(new Date(d.createdAt).toLocaleTimeString()) + "</td></tr>").join("") || '<tr><td colspan="5" class="muted">No deliveries yet: sign in to Kairos first, so it subscribes to webhooks.</td></tr>';
  const f = state.faults;
  $("factive").textContent = f ? "Active fault: " + ({ "5xx": "5xx burst", timeout: "timeouts (" + (f.delayMs / 1000) + " s)", 429: "429 (Retry-After " + f.retryAfterSeconds + " s)" }[f.kind]) + ", " + f.remaining + " API answer(s) left." : "No active fault: the fake Calendly answers normally.";
  $("mode").value = state.settings.webhookMode; $("rate").value = state.settings.rateLimitPerMinute;
  const zoom = await call("/sandbox/zoom/control/state").catch(() => null);
  // Meetings Kairos created carry its agenda marker; the others are not Kairos's to judge.
  fill($("meeting"), (zoom?.meetings ?? []).filter((m) => String(m.agenda ?? "").includes("kairos:")).map((m) => [m.id, m.topic + " — " + when(m.startTime)]));
  $("zoomnote").textContent = zoom && zoom.meetings.length ? "" : "No Zoom meetings yet: Kairos creates them once a coach connects Zoom.";
}
async function act(fn, ok) { try { await fn(); say(ok); await refresh(); } catch (e) { say(e.message, true); } }
$("coach").onchange = fillTypes; $("etype").onchange = loadSlots;
$("book").onclick = () => act(() => call("/sandbox/calendly/control/book", { coachEmail: $("coach").value, eventTypeSlug: $("etype").value, startTime: $("slot").value, invitee: { name: $("cname").value, email: $("cemail").value } }), "Booked. Kairos hears about it by webhook.");
$("save").onclick = () => act(() => call("/sandbox/calendly/control/settings", { webhookMode: $("mode").value, rateLimitPerMinute: Number($("rate").value) }), "Settings saved.");
const tokens = (action, ok) => act(async () => { const r = await call("/sandbox/calendly/control/tokens", { coachEmail: $("coach").value, action }); if (!r.changed) throw new Error("No live tokens for this coach: sign in to Kairos as them first."); }, ok);
$("expire").onclick = () => tokens("expire_access", "Access token expired. Kairos should refresh it on its next call.");
$("revoke").onclick = () => tokens("revoke_refresh", "Refresh token revoked. Kairos's next refresh gets invalid_grant.");
$("scopes").onclick = () => act(() => call("/sandbox/calendly/control/scopes", { withhold: [$("withhold").value] }), "The next sign-in will not grant " + $("withhold").value + ": sign in to Kairos and watch it ask for a reconnect.");
$("fstart").onclick = () => act(() => call("/sandbox/calendly/control/faults", { kind: $("fkind").value, count: Number($("fcount").value), retryAfterSeconds: Number($("fretry").value) }), "Fault started.");
$("fstop").onclick = () => act(() => call("/sandbox/calendly/control/faults", { kind: "none" }), "Fault stopped.");
const simulate = (scenario) => act(() => call("/sandbox/zoom/control/simulate", { meetingId: $("meeting").value, scenario, clock: $("zclock").value, drop: $("zdrop").value === "all" ? "all" : $("zdrop").value ? [$("zdrop").value] : [] }), "Scenario played for the booked client (unless Zoom refused it: see the message).");
$("simulate").onclick = () => simulate($("scenario").value);
$("zbuttons").innerHTML = [...$("scenario").options].map((o) => '<button class="ghost" data-scenario="' + esc(o.value) + '">' + esc(o.textContent) + "</button>").join("");
$("zbuttons").onclick = (ev) => { const b = ev.target.closest("button"); if (b && $("meeting").value) simulate(b.dataset.scenario); else if (b) say("No Zoom meeting made by Kairos yet: connect Zoom and book a Zoom event type.", true); };
$("events").onclick = (ev) => {
  const b = ev.target.closest("button"); if (!b) return;
  const uri = b.dataset.uri;
  if (b.dataset.act === "cancel" && confirm("Cancel this booking as the client?")) act(() => call("/sandbox/calendly/control/cancel", { inviteeUri: uri, canceledBy: "invitee", reason: "Canceled from the sandbox" }), "Canceled.");
  if (b.dataset.act === "noshow") act(() => call("/sandbox/calendly/control/no-show", { inviteeUri: uri, noShow: b.dataset.noshow === "true" }), "No-show updated.");
  if (b.dataset.act === "reschedule") {
    const slots = [...$("slot").options].map((o) => o.value);
    const to = prompt("New start time (ISO, e.g. " + (slots[1] || "2026-12-01T15:00:00Z") + "):", slots[1] || "");
    if (to) act(() => call("/sandbox/calendly/control/reschedule", { inviteeUri: uri, newStartTime: to }), "Rescheduled.");
  }
};
refresh().catch((e) => say(e.message, true));
</script></body></html>`;
