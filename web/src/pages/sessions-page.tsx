/**
 * Sessions, Upcoming or Past, a page at a time, kept live (CoachFeed pushes every booking change over
 * a WebSocket). Search by client, filter by status, open one, select several for a batch action, or
 * export what is shown.
 */
import { TZDate } from "@date-fns/tz";
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, read } from "../api";
import { BatchBar, DayOff } from "../components/batch-bar";
import { EmptyState, ErrorNotice, ShowMore, Skeleton } from "../components/feedback";
import { ChoiceField, DateField, Filters, SearchField } from "../components/filters";
import { ZoomBadge } from "../components/zoom-meeting";
import { useDebounced } from "../use-debounced";
import { useLoadMore } from "../use-load-more";
import { useRequest } from "../use-request";

function useLiveVersion() {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (typeof WebSocket === "undefined") return;
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/feed`;
    const ws = new WebSocket(url);
    ws.onmessage = () => setVersion((v) => v + 1);
    return () => ws.close();
  }, []);
  return version;
}

type Tab = "upcoming" | "past";

export function SessionsPage({ timeZone }: { timeZone: string }) {
  const now = useMemo(() => new Date(Date.now() - 3_600_000).toISOString(), []);
  const [tab, setTab] = useState<Tab>("upcoming");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<"" | "active" | "canceled">("");
  const [eventType, setEventType] = useState("");
  const [noShow, setNoShow] = useState<"" | "true" | "false">("");
  const [source, setSource] = useState<"" | "widget" | "calendly">("");
  const [utm, setUtm] = useState("");
  const [day, setDay] = useState("");
  const [until, setUntil] = useState("");
  const [sort, setSort] = useState<"start" | "booked">("start");
  // Upcoming reads soonest first, past (and newest bookings) most recent first, unless flipped.
  const [flipped, setFlipped] = useState(false);
  const order: "asc" | "desc" = (tab === "past" || sort === "booked") !== flipped ? "desc" : "asc";
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const q = useDebounced(search.trim(), 300);
  const utmSource = useDebounced(utm.trim(), 300);
  const live = useLiveVersion();
  // The list follows pushed changes, except while the coach reads pages loaded with Show more:
  // reloading would throw those away, so the change waits for a click.
  const [applied, setApplied] = useState(live);
  const types = useRequest(() => api["event-types"].$get({ query: {} }), []);
  // A day is the coach's day (their time zone), as the emergency day off counts it too.
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  const utc = (date: TZDate) => new Date(date.getTime()).toISOString();
  const dayStart = day ? utc(new TZDate(y, m - 1, d, timeZone)) : null;
  // With "Until", the range runs to the end of that day; otherwise it is the one day.
  const [uy = 0, um = 1, ud = 1] = (until || day).split("-").map(Number);
  const dayEnd = day ? utc(new TZDate(uy, um - 1, ud + 1, timeZone)) : null;
  const query = {
    ...(dayStart && dayEnd
      ? { from: dayStart, to: dayEnd }
      : tab === "upcoming"
        ? { from: now }
        : { to: now }),
    ...(status ? { status } : {}),
    ...(q ? { q } : {}),
    ...(eventType ? { eventType } : {}),
    ...(noShow ? { noShow } : {}),
    ...(source ? { source } : {}),
    ...(utmSource ? { utmSource } : {}),
  };
  const pageQuery = { ...query, sort, order, limit: "25" };
  const req = useRequest(
    () => api.sessions.$get({ query: pageQuery }),
    [tab, status, q, eventType, noShow, source, utmSource, day, until, sort, order, applied],
  );
  const list = useLoadMore(
    req.state === "ready" ? req.data : undefined,
    async (cursor) => read(await api.sessions.$get({ query: { ...pageQuery, cursor } })),
    (session) => session.id,
  );
  useEffect(() => {
    if (!list.extended) setApplied(live);
  }, [live, list.extended]);
  const format = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const exportUrl = `/api/exports/sessions.csv?${new URLSearchParams(query)}`;

  return (
    <section>
      <h1>Sessions</h1>
      <div class="tabs" role="tablist">
        {(["upcoming", "past"] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            onClick={() => {
              setTab(t);
              setSelected(new Set());
            }}
          >
            {t === "upcoming" ? "Upcoming" : "Past"}
          </button>
        ))}
      </div>
      <Filters>
        <SearchField
          label="Search"
          placeholder="Client name or email"
          value={search}
          onInput={setSearch}
        />
        <ChoiceField
          label="Status"
          value={status}
          onChange={setStatus}
          choices={[
            ["", "Any"],
            ["active", "Booked"],
            ["canceled", "Canceled"],
          ]}
        />
        <ChoiceField
          label="Event type"
          value={eventType}
          onChange={setEventType}
          choices={[
            ["", "Any"],
            ...(types.state === "ready"
              ? types.data.items.map((t) => [t.calendlyUri, t.name] as const)
              : []),
          ]}
        />
        <DateField label="Day" value={day} onInput={setDay} />
        <DateField
          label="Until"
          value={until}
          min={day || undefined}
          disabled={!day}
          onInput={setUntil}
        />
        <ChoiceField
          label="No-show"
          value={noShow}
          onChange={setNoShow}
          choices={[
            ["", "Any"],
            ["true", "No-shows only"],
            ["false", "Without no-shows"],
          ]}
        />
        <ChoiceField
          label="Booked"
          value={source}
          onChange={setSource}
          choices={[
            ["", "Anywhere"],
            ["widget", "On your site"],
            ["calendly", "Through Calendly"],
          ]}
        />
        <SearchField
          label="UTM source"
          placeholder="e.g. newsletter"
          value={utm}
          onInput={setUtm}
        />
        <ChoiceField
          label="Sort by"
          value={sort}
          onChange={(next) => {
            setSort(next);
            setFlipped(false);
          }}
          choices={[
            ["start", "Session time"],
            ["booked", "Booking date"],
          ]}
        />
        <button type="button" class="small" onClick={() => setFlipped((f) => !f)}>
          {sort === "booked"
            ? order === "desc"
              ? "Newest bookings first"
              : "Oldest bookings first"
            : order === "asc"
              ? "Earliest first"
              : "Latest first"}{" "}
          ⇅
        </button>
        <a class="button small" href={exportUrl}>
          Export CSV
        </a>
        <a class="button small" href={`/api/exports/sessions.ics?${new URLSearchParams(query)}`}>
          Export .ics
        </a>
      </Filters>
      {day && !until && tab === "upcoming" && <DayOff day={day} timeZone={timeZone} />}
      {selected.size > 0 && (
        <BatchBar
          sessionIds={[...selected]}
          past={tab === "past"}
          timeZone={timeZone}
          onDone={() => {
            setSelected(new Set());
            if (req.state !== "loading") req.retry();
          }}
        />
      )}
      {list.extended && live !== applied && (
        <p class="notice" role="status">
          Sessions have changed since you loaded these.{" "}
          <button type="button" class="small" onClick={() => setApplied(live)}>
            Show the latest
          </button>
        </p>
      )}
      {req.state === "loading" && <Skeleton label="Loading sessions…" />}
      {req.state === "error" && <ErrorNotice error={req.error} onRetry={req.retry} />}
      {req.state === "ready" && list.items.length === 0 && (
        <EmptyState>
          {q
            ? `No sessions match “${q}”.`
            : tab === "upcoming"
              ? "No upcoming sessions. New bookings appear here the moment Calendly reports them."
              : "No past sessions yet."}
        </EmptyState>
      )}
      {req.state === "ready" && list.items.length > 0 && (
        <>
          <ul class="cards" aria-live="polite">
            {list.items.map((s) => (
              <li
                key={s.id}
                class={`card ${s.status === "canceled" ? "canceled" : ""}`}
                data-session={s.id}
              >
                <div class="card-title">
                  <input
                    type="checkbox"
                    aria-label={`Select ${s.invitees.map((i) => i.name).join(", ") || s.name}`}
                    checked={selected.has(s.id)}
                    onChange={() => toggle(s.id)}
                  />
                  <h2>
                    <a href={`/sessions/${s.id}`}>
                      {s.invitees.map((i) => i.name).join(", ") || s.name}
                    </a>
                  </h2>
                  <span class={`badge badge-${s.status}`}>
                    {s.status === "canceled" ? "Canceled" : "Booked"}
                  </span>
                  <ZoomBadge zoom={s.zoom} timeZone={timeZone} />
                </div>
                <p class="muted">
                  {format.format(new Date(s.startTime))} · {s.name}
                  {sort === "booked" && ` · booked ${format.format(new Date(s.bookedAt))}`}
                  {s.invitees.some((i) => i.rescheduledFromSessionId) && " · rescheduled"}
                  {s.invitees.some((i) => i.noShow) && " · no-show"}
                  {s.invitees.some((i) => i.seriesId)
                    ? " · weekly series (booked on your site)"
                    : s.invitees.some((i) => i.bookedWithWidget) && " · booked on your site"}
                </p>
              </li>
            ))}
          </ul>
          <ShowMore list={list} />
        </>
      )}
    </section>
  );
}
