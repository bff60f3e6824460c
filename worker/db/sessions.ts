/**
 * Reading a coach's sessions: keyset pagination on (starts_at, id) or (booked_at, id), filters, and
 * the invitees of each page in one extra query. Reschedule links are resolved to Kairos session ids.
 */
import {
  and,
  asc,
  desc,
  eq,
  exists,
  gt,
  gte,
  inArray,
  isNotNull,
  like,
  lt,
  not,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { safeUrl } from "../lib/safe-url";
import type { SessionQuery } from "../schemas/sessions";
import { inChunks } from "./client";
import { bookingIntents, invitees, sessions } from "./schema";

/** Where the last page ended, in the sort key and direction it was read with. */
type Cursor = { sort: SessionQuery["sort"]; order: SessionQuery["order"]; at: number; id: string };
const encodeCursor = (c: Cursor) => btoa(JSON.stringify(c));
function decodeCursor(
  s: string | undefined,
  q: Pick<SessionQuery, "sort" | "order">,
): Cursor | null {
  if (!s) return null;
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(atob(s)) as Partial<Cursor>;
  } catch {
    c = {};
  }
  if (
    typeof c.at !== "number" ||
    typeof c.id !== "string" ||
    c.sort !== q.sort ||
    c.order !== q.order
  ) {
    throw new AppError("validation_failed", "This page link is out of date; start from the top.", {
      details: [{ field: "cursor", message: "Not a cursor of this sort and order." }],
    });
  }
  return c as Cursor;
}

export type SessionFilters = Omit<SessionQuery, "limit" | "cursor" | "order" | "sort">;

/** The WHERE of GET /api/sessions and of the exports: one place, so both always agree. */
export function sessionFilters({ db, coachId }: CoachScope, f: SessionFilters): SQL[] {
  const inviteeWhere = (...conditions: SQL[]) =>
    exists(
      db
        .select({ one: invitees.id })
        .from(invitees)
        .where(and(eq(invitees.sessionId, sessions.id), ...conditions)),
    );
  const where: (SQL | undefined)[] = [eq(sessions.coachId, coachId)];
  if (f.status) where.push(eq(sessions.status, f.status));
  if (f.from) where.push(gte(sessions.startsAt, new Date(f.from)));
  if (f.to) where.push(lt(sessions.startsAt, new Date(f.to)));
  if (f.eventType) where.push(eq(sessions.eventTypeUri, f.eventType));
  if (f.q) {
    const pattern = `%${f.q.replace(/[%_]/g, "")}%`;
    where.push(
      or(
        like(sessions.name, pattern),
        inviteeWhere(or(like(invitees.email, pattern), like(invitees.name, pattern)) as SQL),
      ),
    );
  }
  if (f.noShow) {
    const any = inviteeWhere(isNotNull(invitees.noShowUri));
    where.push(f.noShow === "true" ? any : not(any));
  }
  if (f.source) {
    const viaWidget = inviteeWhere(
      exists(
        db
          .select({ one: bookingIntents.id })
          .from(bookingIntents)
          .where(eq(bookingIntents.inviteeUri, invitees.calendlyUri)),
      ),
    );
    where.push(f.source === "calendly" ? not(viaWidget) : viaWidget);
  }
  if (f.utmSource) {
    // Calendly's record of the tags, or (for widget bookings stored before it was kept) ours.
    const taggedOnWidget = exists(
      db
        .select({ one: bookingIntents.id })
        .from(bookingIntents)
        .where(
          and(
            eq(bookingIntents.inviteeUri, invitees.calendlyUri),
            sql`json_extract(${bookingIntents.tracking}, '$.utm_source') = ${f.utmSource}`,
          ),
        ),
    );
    where.push(
      inviteeWhere(
        or(
          sql`json_extract(${invitees.tracking}, '$.utm_source') = ${f.utmSource}`,
          taggedOnWidget,
        ) as SQL,
      ),
    );
  }
  return where.filter((w) => w !== undefined);
}

export async function listSessions(scope: CoachScope, q: SessionQuery) {
  const { db } = scope;
  const where = sessionFilters(scope, q);
  // Keyset pagination on (key, id) in either direction.
  const field = q.sort === "booked" ? "bookedAt" : "startsAt";
  const key = sessions[field];
  const newestFirst = q.order === "desc";
  const beyond = newestFirst ? lt : gt;
  const cursor = decodeCursor(q.cursor, q);
  if (cursor) {
    const at = new Date(cursor.at);
    where.push(or(beyond(key, at), and(eq(key, at), beyond(sessions.id, cursor.id))) as SQL);
  }
  const direction = newestFirst ? desc : asc;
  const rows = await db
    .select()
    .from(sessions)
    .where(and(...where))
    .orderBy(direction(key), direction(sessions.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor({ sort: q.sort, order: q.order, at: last[field].getTime(), id: last.id })
      : null;
  return { items: await withInvitees(scope, page), nextCursor };
}

export async function getSession(scope: CoachScope, id: string) {
  const row = await scope.db.query.sessions.findFirst({
    where: and(eq(sessions.id, id), eq(sessions.coachId, scope.coachId)),
  });
  return row ? (await withInvitees(scope, [row]))[0] : undefined;
}

export async function withInvitees(
  { db, coachId }: CoachScope,
  page: (typeof sessions.$inferSelect)[],
) {
  if (page.length === 0) return [];
  const people = await inChunks(
    page.map((s) => s.id),
    (ids) =>
      db
        .select()
        .from(invitees)
        .where(and(eq(invitees.coachId, coachId), inArray(invitees.sessionId, ids))),
  );
  const linked = [
    ...new Set(people.flatMap((p) => [p.oldInviteeUri, p.newInviteeUri]).filter((u) => u !== null)),
  ];
  const counterparts = await inChunks(linked, (uris) =>
    db
      .select({ uri: invitees.calendlyUri, sessionId: invitees.sessionId })
      .from(invitees)
      .where(and(eq(invitees.coachId, coachId), inArray(invitees.calendlyUri, uris))),
  );
  const sessionOf = new Map(counterparts.map((c) => [c.uri, c.sessionId]));
  // Bookings made through Kairos's widget (and the weekly series they belong to).
  const widget = await inChunks(
    people.map((p) => p.calendlyUri),
    (uris) =>
      db
        .select({ uri: bookingIntents.inviteeUri, seriesId: bookingIntents.seriesId })
        .from(bookingIntents)
        .where(and(eq(bookingIntents.coachId, coachId), inArray(bookingIntents.inviteeUri, uris))),
  );
  const bookedVia = new Map(widget.map((w) => [w.uri, w.seriesId]));
  const opt = (v: string | null | undefined) => v ?? undefined;

  return page.map((s) => ({
    id: s.id,
    calendlyUri: s.calendlyUri,
    eventTypeUri: s.eventTypeUri,
    name: s.name,
    startTime: s.startsAt.toISOString(),
    endTime: s.endsAt.toISOString(),
    bookedAt: s.bookedAt.toISOString(),
    status: s.status,
    location: s.location
      ? {
          type: String(s.location.type ?? "unknown"),
          // Checked again on the way out: rows stored before links were checked at parse time.
          joinUrl: opt(safeUrl(s.location.join_url as string | null)),
        }
      : null,
    invitees: people
      .filter((p) => p.sessionId === s.id)
      .map((p) => ({
        id: p.id,
        calendlyUri: p.calendlyUri,
        email: p.email,
        name: p.name,
        status: p.status,
        noShow: p.noShowUri !== null,
        rescheduled: p.rescheduled,
        rescheduledFromSessionId: opt(p.oldInviteeUri && sessionOf.get(p.oldInviteeUri)),
        rescheduledToSessionId: opt(p.newInviteeUri && sessionOf.get(p.newInviteeUri)),
        canceledBy: opt(p.canceledBy),
        cancelReason: opt(p.cancelReason),
        timeZone: opt(p.timeZone),
        bookedWithWidget: bookedVia.has(p.calendlyUri),
        seriesId: opt(bookedVia.get(p.calendlyUri)),
        rescheduleUrl: opt(safeUrl(p.rescheduleUrl)),
        tracking: p.tracking,
        payment: p.payment,
      })),
  }));
}

/** Minutes of active sessions of one event type starting in [from, to). */
export async function bookedMinutes(
  db: CoachScope["db"],
  coachId: string,
  eventTypeUri: string,
  from: Date,
  to: Date,
): Promise<number> {
  const [row] = await db
    .select({
      minutes: sql<number>`coalesce(sum((${sessions.endsAt} - ${sessions.startsAt}) / 60000), 0)`,
    })
    .from(sessions)
    .where(
      and(
        eq(sessions.coachId, coachId),
        eq(sessions.eventTypeUri, eventTypeUri),
        eq(sessions.status, "active"),
        gte(sessions.startsAt, from),
        lt(sessions.startsAt, to),
      ),
    );
  return Number(row?.minutes ?? 0);
}
