/**
 * A coach's clients, derived from invitees + sessions: one row per email (case-insensitive), with the
 * counts aggregated in SQL (GROUP BY lower(email)) so thousands of invitees cost one query per page.
 * Keyset pagination on (lower(name), lower(email)). A session counts as "active" for a client when the
 * session is active and the client's own booking on it is too (a group session goes on without a
 * client who canceled).
 */
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { CoachScope } from "../env";
import type { ClientQuery } from "../schemas/clients";
import { invitees, sessions } from "./schema";
import { withInvitees } from "./sessions";

type Cursor = { name: string; key: string };
const encodeCursor = (c: Cursor) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(c))));
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const bytes = Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
    const c = JSON.parse(new TextDecoder().decode(bytes)) as Cursor;
    return typeof c.name === "string" && typeof c.key === "string" ? c : null;
  } catch {
    return null;
  }
}

type Row = {
  key: string;
  email: string;
  name: string;
  sortName: string;
  sessionsSoFar: number;
  nextSession: number | null;
  lastSession: number | null;
  noShows: number;
  firstBooked: number;
  totalSessions: number;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toSummary = (r: Row) => ({
  email: r.email,
  name: r.name,
  sessionsSoFar: r.sessionsSoFar,
  nextSession: iso(r.nextSession),
  lastSession: iso(r.lastSession),
  noShows: r.noShows,
  firstBooked: new Date(r.firstBooked).toISOString(),
  totalSessions: r.totalSessions,
});

/** `%`, `_` and `\` match themselves (used with `escape '\'`). */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * The aggregated clients of one coach. `only` narrows to one email before grouping; `matching`
 * keeps clients any of whose bookings has a matching name or email; `after` is the keyset.
 */
function clientRows(
  { db, coachId }: CoachScope,
  opts: { only?: string; matching?: string; after?: Cursor | null; limit?: number },
) {
  const now = Date.now();
  const only = opts.only ? sql`and lower(${invitees.email}) = lower(${opts.only})` : sql``;
  const pattern = opts.matching ? likePattern(opts.matching) : null;
  const matches = pattern
    ? sql`max(inv_name like ${pattern} escape '\\' or inv_email like ${pattern} escape '\\')`
    : sql`1`;
  const conditions: SQL[] = [sql`matches`];
  if (opts.after)
    conditions.push(
      sql`(sort_name > ${opts.after.name} or (sort_name = ${opts.after.name} and key > ${opts.after.key}))`,
    );
  const limit = opts.limit === undefined ? sql`` : sql`limit ${opts.limit}`;
  return db.all<Row>(sql`
    with booked as (
      select
        lower(${invitees.email}) as key,
        ${invitees.email} as inv_email,
        ${invitees.name} as inv_name,
        ${invitees.createdAt} as created_at,
        ${invitees.noShowUri} as no_show_uri,
        ${sessions.id} as session_id,
        ${sessions.startsAt} as starts_at,
        (${sessions.status} = 'active' and ${invitees.status} = 'active') as active,
        row_number() over (
          partition by lower(${invitees.email})
          order by ${sessions.startsAt} desc, ${invitees.createdAt} desc, ${invitees.id} desc
        ) as latest
      from ${invitees}
      inner join ${sessions}
        on ${sessions.id} = ${invitees.sessionId} and ${sessions.coachId} = ${coachId}
      where ${invitees.coachId} = ${coachId} ${only}
    ),
    clients as (
      select
        key,
        max(case when latest = 1 then inv_email end) as email,
        max(case when latest = 1 then inv_name end) as name,
        lower(max(case when latest = 1 then inv_name end)) as sort_name,
        count(distinct case when active and starts_at <= ${now} then session_id end) as sessionsSoFar,
        min(case when active and starts_at > ${now} then starts_at end) as nextSession,
        max(case when active and starts_at <= ${now} then starts_at end) as lastSession,
        count(no_show_uri) as noShows,
        min(min(created_at), min(starts_at)) as firstBooked,
        count(distinct session_id) as totalSessions,
        ${matches} as matches
      from booked
      group by key
    )
    select key, email, name, sort_name as sortName, sessionsSoFar, nextSession, lastSession,
      noShows, firstBooked, totalSessions
    from clients
    where ${sql.join(conditions, sql` and `)}
    order by sort_name, key
    ${limit}`);
}

export async function listClients(scope: CoachScope, q: ClientQuery) {
  const rows = await clientRows(scope, {
    matching: q.q,
    after: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last ? encodeCursor({ name: last.sortName, key: last.key }) : null;
  return { items: page.map(toSummary), nextCursor };
}

/** Sessions per invitee lookup: keeps each query well under D1's 100 bound parameters. */
const CHUNK = 10;

/** The client's summary and every session they were on, newest first; undefined if not a client. */
export async function getClient(scope: CoachScope, email: string) {
  const [row] = await clientRows(scope, { only: email });
  if (!row) return undefined;
  const { db, coachId } = scope;
  const rows = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.coachId, coachId),
        inArray(
          sessions.id,
          db
            .select({ id: invitees.sessionId })
            .from(invitees)
            .where(
              and(eq(invitees.coachId, coachId), sql`lower(${invitees.email}) = lower(${email})`),
            ),
        ),
      ),
    )
    .orderBy(desc(sessions.startsAt), desc(sessions.id));
  const chunks: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
  const history = (await Promise.all(chunks.map((chunk) => withInvitees(scope, chunk)))).flat();
  return { ...toSummary(row), sessions: history };
}
