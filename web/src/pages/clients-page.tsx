/**
 * Clients: one card per client (by email), in name order, with how often they came, their next and
 * last session, no-shows and when they first booked. Search by name or email; "Show more" follows
 * the cursor.
 */
import { useState } from "preact/hooks";
import { api, read, type SuccessBody } from "../api";
import { EmptyState, ErrorNotice, ShowMore, Skeleton } from "../components/feedback";
import { Filters, SearchField } from "../components/filters";
import { useDebounced } from "../use-debounced";
import { useLoadMore } from "../use-load-more";
import { useRequest } from "../use-request";

type ClientPage = SuccessBody<Awaited<ReturnType<typeof api.clients.$get>>>;
export type ClientSummary = ClientPage["items"][number];

const PAGE = 50;

/** Formats instants in the coach's time zone; `undefined` for a missing one. */
export function clientDates(timeZone: string) {
  const dateTime = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  });
  const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone });
  return {
    dateTime: (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : "—"),
    date: (iso: string) => date.format(new Date(iso)),
  };
}

export function ClientFacts({ client, timeZone }: { client: ClientSummary; timeZone: string }) {
  const f = clientDates(timeZone);
  return (
    <dl class="facts client-facts">
      <dt>Sessions so far</dt>
      <dd>{client.sessionsSoFar}</dd>
      <dt>Next</dt>
      <dd>{f.dateTime(client.nextSession)}</dd>
      <dt>Last</dt>
      <dd>{f.dateTime(client.lastSession)}</dd>
      <dt>No-shows</dt>
      <dd>{client.noShows}</dd>
      <dt>First booked</dt>
      <dd>{f.date(client.firstBooked)}</dd>
    </dl>
  );
}

export function ClientsPage({ timeZone }: { timeZone: string }) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const req = useRequest(
    () => api.clients.$get({ query: { limit: String(PAGE), ...(q ? { q } : {}) } }),
    [q],
  );
  const list = useLoadMore(
    req.state === "ready" ? req.data : undefined,
    async (cursor) =>
      read(await api.clients.$get({ query: { limit: String(PAGE), cursor, ...(q ? { q } : {}) } })),
    (client) => client.email.toLowerCase(),
  );
  const items = list.items;

  return (
    <section>
      <h1>Clients</h1>
      <Filters>
        <SearchField
          label="Search"
          placeholder="Client name or email"
          value={search}
          onInput={setSearch}
        />
      </Filters>
      {req.state === "loading" && <Skeleton label="Loading clients…" />}
      {req.state === "error" && <ErrorNotice error={req.error} onRetry={req.retry} />}
      {req.state === "ready" && items.length === 0 && (
        <EmptyState>
          {q
            ? `No clients match “${q}”.`
            : "No clients yet. Everyone who books a session with you appears here."}
        </EmptyState>
      )}
      {req.state === "ready" && items.length > 0 && (
        <>
          <ul class="cards clients" aria-live="polite">
            {items.map((c) => (
              <li key={c.email.toLowerCase()} class="card" data-client={c.email}>
                <div class="card-title">
                  <h2>
                    <a href={`/clients/${encodeURIComponent(c.email)}`}>{c.name}</a>
                  </h2>
                  {c.noShows > 0 && (
                    <span class="badge badge-failed">
                      {c.noShows} no-show{c.noShows === 1 ? "" : "s"}
                    </span>
                  )}
                </div>
                <p class="muted truncate">{c.email}</p>
                <ClientFacts client={c} timeZone={timeZone} />
              </li>
            ))}
          </ul>
          <ShowMore list={list} />
        </>
      )}
    </section>
  );
}
