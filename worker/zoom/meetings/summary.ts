/**
 * A session's Zoom meeting as the dashboard sees it (`zoom` on GET /api/sessions and
 * /api/sessions/{id}): id, join link and passcode, status, and why / until when it is waiting.
 * Never `start_url`. A deleted meeting keeps its id (attendance history) but no longer its link.
 */
import type { CoachScope } from "../../env";
import { safeUrl } from "../../lib/safe-url";
import type { SessionZoom } from "../../schemas/zoom-meetings";
import { type MeetingRow, meetingRowsOfSessions } from "./store";

export function summaryOf(row: MeetingRow | undefined): SessionZoom | null {
  if (!row) return null;
  // A meeting that was never made and is no longer wanted is no meeting at all.
  if (row.status === "deleted" && row.zoomMeetingId === null) return null;
  const gone = row.status === "deleted";
  return {
    meetingId: row.zoomMeetingId,
    joinUrl: gone ? null : safeUrl(row.joinUrl),
    passcode: gone ? null : row.passcode,
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
    ...(row.retryAt ? { retryAt: row.retryAt.toISOString() } : {}),
  };
}

/** Adds `zoom` to each session of a page, in one query. */
export async function withZoom<S extends { id: string }>(
  scope: CoachScope,
  items: S[],
): Promise<(S & { zoom: SessionZoom | null })[]> {
  if (items.length === 0) return [];
  const rows = await meetingRowsOfSessions(
    scope,
    items.map((s) => s.id),
  );
  // Of several rows on one session (a recreated group meeting's history), the live one wins.
  const bySession = new Map<string, MeetingRow>();
  for (const r of rows) {
    const held = bySession.get(r.sessionId);
    if (!held || (held.status === "deleted" && r.status !== "deleted"))
      bySession.set(r.sessionId, r);
  }
  return items.map((s) => ({ ...s, zoom: summaryOf(bySession.get(s.id)) }));
}
