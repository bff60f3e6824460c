/**
 * The Zoom reactor (worker/reactions/): a booking created, canceled or moved → the meetings it
 * concerns get a `zoom.sync_meeting` job, and a booking that needs a new meeting gets its intent row
 * first (so the session shows "creating" at once). Which meetings and what they should be comes
 * from the current state (./targets.ts): a duplicated, late or reordered event re-checks the same
 * meeting and changes nothing.
 */

import type { CoachScope } from "../../env";
import { enqueueJobs, type Job } from "../../queues/job";
import type { DomainEvent, Reactor } from "../../reactions/reactor";
import {
  coachUsesZoom,
  ensureMeetingRow,
  followChainMerge,
  type MeetingRow,
  meetingRowByKey,
  meetingRowsOfChain,
} from "./store";
import { desiredOf, type Target, targetsOfSession } from "./targets";

function sessionsOf(event: DomainEvent): string[] {
  const p = event.payload as { toSessionId?: unknown; fromSessionId?: unknown };
  if (event.type === "booking.rescheduled") {
    // The new session first: its chain's meeting moves there before the old one is looked at.
    return [p.toSessionId, p.fromSessionId, event.sessionId].filter(
      (s): s is string => typeof s === "string",
    );
  }
  if (event.type === "booking.created" || event.type === "booking.canceled") {
    return event.sessionId ? [event.sessionId] : [];
  }
  return []; // no-shows change no meeting
}

async function rowsOf(scope: CoachScope, target: Target): Promise<MeetingRow[]> {
  const byKey = await meetingRowByKey(scope, target.meetingKey);
  const byChain = target.kind === "chain" ? await meetingRowsOfChain(scope, target.chainId) : [];
  const all = [...(byKey ? [byKey] : []), ...byChain];
  return [...new Map(all.map((r) => [r.id, r])).values()];
}

/** The rows to sync for one target, writing the intent row of a meeting still to be made. */
export async function rowsToSync(scope: CoachScope, target: Target): Promise<string[]> {
  const rows = await rowsOf(scope, target);
  const live = rows.filter((r) => r.status !== "deleted");
  if (live.length > 0) return live.map((r) => r.id);
  const desired = await desiredOf(scope, target);
  if (desired.action !== "meet" || !desired.wanted) return [];
  const row = await ensureMeetingRow(scope, {
    meetingKey: target.meetingKey,
    chainId: target.kind === "chain" ? target.chainId : null,
    sessionId: desired.plan.sessionId,
  });
  return [row.id];
}

export const syncJob = (coachId: string, meetingId: string): Job => ({
  type: "zoom.sync_meeting",
  coachId,
  meetingId,
});

export const zoomReactor: Reactor = async (env, scope, event) => {
  if (sessionsOf(event).length === 0 || !(await coachUsesZoom(scope))) return;
  const replaced = (event.payload as { replacedChainId?: unknown; chainId?: unknown }) ?? {};
  if (typeof replaced.replacedChainId === "string" && typeof replaced.chainId === "string") {
    await followChainMerge(scope, replaced.replacedChainId, replaced.chainId);
  }
  const targets = new Map<string, Target>();
  for (const sessionId of sessionsOf(event)) {
    for (const t of await targetsOfSession(scope, sessionId)) targets.set(t.meetingKey, t);
  }
  const ids = new Set<string>();
  for (const t of targets.values()) for (const id of await rowsToSync(scope, t)) ids.add(id);
  await enqueueJobs(
    env,
    [...ids].map((id) => syncJob(scope.coachId, id)),
  );
};
