/** One client: their summary and every session they booked with the coach, newest first. */
import { api } from "../api";
import { EmptyState, ErrorNotice, Spinner } from "../components/feedback";
import { MessageHistory } from "../components/message-history";
import { useRequest } from "../use-request";
import { ClientFacts } from "./clients-page";

export function ClientPage({ email, timeZone }: { email: string; timeZone: string }) {
  const req = useRequest(
    () => api.clients[":email"].$get({ param: { email: encodeURIComponent(email) } }),
    [email],
  );
  if (req.state === "loading") return <Spinner label="Loading the client…" />;
  if (req.state === "error")
    return (
      <section>
        <p>
          <a href="/clients">← Clients</a>
        </p>
        <ErrorNotice error={req.error} onRetry={req.retry} />
      </section>
    );
  const c = req.data;
  const format = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  });
  const key = c.email.toLowerCase();

  return (
    <section>
      <p>
        <a href="/clients">← Clients</a>
      </p>
      <h1>{c.name}</h1>
      <p class="muted truncate">{c.email}</p>
      <ClientFacts client={c} timeZone={timeZone} />
      <h2>
        Sessions <span class="muted">({c.totalSessions})</span>
      </h2>
      {c.sessions.length === 0 ? (
        <EmptyState>No sessions.</EmptyState>
      ) : (
        <ul class="cards history">
          {c.sessions.map((s) => {
            const mine = s.invitees.filter((i) => i.email.toLowerCase() === key);
            const canceled = s.status === "canceled" || mine.every((i) => i.status === "canceled");
            return (
              <li key={s.id} class={`card ${canceled ? "canceled" : ""}`} data-session={s.id}>
                <div class="card-title">
                  <h3>
                    <a href={`/sessions/${s.id}`}>{format.format(new Date(s.startTime))}</a>
                  </h3>
                  <span class={`badge badge-${canceled ? "canceled" : "active"}`}>
                    {canceled ? "Canceled" : "Booked"}
                  </span>
                </div>
                <p class="muted">
                  {s.name}
                  {mine.some((i) => i.noShow) && " · no-show"}
                  {mine.some((i) => i.rescheduled) && " · rescheduled"}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <MessageHistory client={c.email} timeZone={timeZone} />
    </section>
  );
}
