/**
 * The sessions an export covers: every one of the coach's sessions matching GET /api/sessions's
 * filters (no page limit), or a chosen set of them (a batch export's selection), with their
 * invitees. Read a chunk at a time on (starts_at, id), two queries per chunk whatever its size:
 * invitees are joined to the same filters rather than listed by id, so no query binds more than a
 * handful of parameters (D1 allows 100). A selection is read `ID_CHUNK` ids at a time the same way.
 */
import {
  and,
  asc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lt,
  lte,
  or,
  type SQL,
} from "drizzle-orm";
import { inChunks } from "../db/client";
import { invitees, sessions } from "../db/schema";
import { type SessionFilters, sessionFilters } from "../db/sessions";
import type { CoachScope } from "../env";
import { safeUrl } from "../lib/safe-url";

export type ExportFilters = SessionFilters & {
  /** Only these sessions (still only the coach's, and still filtered). */
  ids?: string[];
};
export type SessionRow = typeof sessions.$inferSelect;
export type InviteeRow = typeof invitees.$inferSelect;
export type ExportSession = SessionRow & { invitees: InviteeRow[] };

const CHUNK = 500;
/**
 * Ids bound per statement for a selection: the invitee query binds them beside the coach id twice,
 * six keyset values and up to ~8 filter values, so 60 stays well under D1's 100.
 */
const ID_CHUNK = 60;

/** The same conditions as listSessions in db/sessions.ts (the tests hold the two together). */

type Key = { startsAt: Date; id: string };
const after = (k: Key) =>
  or(
    gt(sessions.startsAt, k.startsAt),
    and(eq(sessions.startsAt, k.startsAt), gt(sessions.id, k.id)),
  );
const atOrBefore = (k: Key) =>
  or(
    lt(sessions.startsAt, k.startsAt),
    and(eq(sessions.startsAt, k.startsAt), lte(sessions.id, k.id)),
  );

/** Every matching (or selected) session, oldest first, with its invitees (in booking order). */
export async function exportSessions(
  scope: CoachScope,
  filters: ExportFilters,
  chunkSize = CHUNK,
): Promise<ExportSession[]> {
  const { ids, ...rest } = filters;
  const where = sessionFilters(scope, rest);
  if (!ids) return readInOrder(scope, where, chunkSize);
  const found = await inChunks(
    [...new Set(ids)],
    (chunk) => readInOrder(scope, [...where, inArray(sessions.id, chunk)], chunkSize),
    ID_CHUNK,
  );
  return found.sort(
    (a, b) =>
      a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The sessions matching `where`, oldest first, a chunk at a time, with their invitees. */
async function readInOrder(
  { db, coachId }: CoachScope,
  where: SQL[],
  chunkSize: number,
): Promise<ExportSession[]> {
  const out: ExportSession[] = [];
  let last: Key | undefined;
  for (;;) {
    const chunk = await db
      .select()
      .from(sessions)
      .where(and(...where, last && after(last)))
      .orderBy(asc(sessions.startsAt), asc(sessions.id))
      .limit(chunkSize);
    if (chunk.length === 0) break;
    const first = chunk[0] as SessionRow;
    const end = chunk.at(-1) as SessionRow;
    const people = await db
      .select(getTableColumns(invitees))
      .from(invitees)
      .innerJoin(sessions, eq(sessions.id, invitees.sessionId))
      .where(
        and(
          eq(invitees.coachId, coachId),
          ...where,
          or(
            and(eq(sessions.startsAt, first.startsAt), gte(sessions.id, first.id)),
            gt(sessions.startsAt, first.startsAt),
          ),
          atOrBefore(end),
        ),
      )
      .orderBy(asc(invitees.createdAt), asc(invitees.id));
    out.push(...withInvitees(chunk, people));
    if (chunk.length < chunkSize) break;
    last = end;
  }
  return out;
}

/** One session of the coach's, or undefined (another coach's session is simply not found). */
export async function exportSession(
  { db, coachId }: CoachScope,
  id: string,
): Promise<ExportSession | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.coachId, coachId)));
  if (!row) return undefined;
  const people = await db
    .select()
    .from(invitees)
    .where(and(eq(invitees.coachId, coachId), eq(invitees.sessionId, id)))
    .orderBy(asc(invitees.createdAt), asc(invitees.id));
  return { ...row, invitees: people };
}

function withInvitees(page: SessionRow[], people: InviteeRow[]): ExportSession[] {
  const bySession = new Map<string, InviteeRow[]>();
  for (const p of people) {
    const list = bySession.get(p.sessionId);
    if (list) list.push(p);
    else bySession.set(p.sessionId, [p]);
  }
  return page.map((s) => ({ ...s, invitees: bySession.get(s.id) ?? [] }));
}

/** The location fields Calendly stores as JSON, as the API presents them. */
export function locationOf(s: SessionRow): { type: string; joinUrl?: string } | null {
  if (!s.location) return null;
  const joinUrl = safeUrl(s.location.join_url as string | null);
  return {
    type: String(s.location.type ?? "unknown"),
    ...(typeof joinUrl === "string" && joinUrl ? { joinUrl } : {}),
  };
}
