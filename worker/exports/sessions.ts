/**
 * The sessions an export covers: every one of the coach's sessions matching GET /api/sessions's
 * filters (no page limit), with their invitees. Read a chunk at a time on (starts_at, id), two
 * queries per chunk whatever its size: invitees are joined to the same filters rather than listed by
 * id, so no query ever binds more than a handful of parameters (D1 allows 100).
 */
import { and, asc, eq, getTableColumns, gt, gte, lt, lte, or } from "drizzle-orm";
import { invitees, sessions } from "../db/schema";
import { type SessionFilters, sessionFilters } from "../db/sessions";
import type { CoachScope } from "../env";

export type ExportFilters = SessionFilters;
export type SessionRow = typeof sessions.$inferSelect;
export type InviteeRow = typeof invitees.$inferSelect;
export type ExportSession = SessionRow & { invitees: InviteeRow[] };

const CHUNK = 500;

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

/** Every matching session, oldest first, with its invitees (in booking order). */
export async function exportSessions(
  scope: CoachScope,
  filters: ExportFilters,
  chunkSize = CHUNK,
): Promise<ExportSession[]> {
  const { db, coachId } = scope;
  const where = sessionFilters(scope, filters);
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
  const joinUrl = s.location.join_url;
  return {
    type: String(s.location.type ?? "unknown"),
    ...(typeof joinUrl === "string" && joinUrl ? { joinUrl } : {}),
  };
}
