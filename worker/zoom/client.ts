/**
 * The one typed Zoom API client (REST v2, the coach's own user: `me`). Every answer is zod-parsed;
 * every call of `zoomFor` goes through the coach's CoachGuard (token, refresh, the gate of the
 * call's Zoom rate-limit label, the 100 meeting writes per day). Failures are AppErrors:
 * `not_found` (404; `details.zoomCode` 3001 for a meeting), `rate_limited` with `details.retryAt`,
 * `reconnect_required` (the grant is dead; the connection says `needs_reconnect`),
 * `upstream_unavailable` (5xx, timeouts, open breaker; `details.outcome` "unknown" for a create or
 * update whose reply was lost: look before redoing), `forbidden` with `details.reason` "plan".
 *
 * Lists are page-returning (`{ items, nextPageToken }`, token null when done; a token expires after
 * 15 minutes), so a job can stop and resume; `meetings()` iterates all pages for callers that want
 * everything.
 */
import { z } from "zod";
import { coachGuard, type GuardResult, unwrap } from "../durable-objects/coach-guard";
import { AppError } from "../lib/errors";
import type { ApiAnswer, ApiCall, Transport } from "../upstream/transport";
import { ZOOM_MEETING_NOT_FOUND, zoomCodeIn } from "./errors";
import { meetingUuidSegment } from "./meeting-uuid";
import {
  ZoomMeeting,
  type ZoomMeetingCreate,
  type ZoomMeetingListItem,
  ZoomMeetingPage,
  type ZoomMeetingPatch,
  ZoomParticipantPage,
  ZoomPastMeeting,
  type ZoomPastParticipant,
  ZoomUser,
} from "./schemas";

type Query = NonNullable<ApiCall["query"]>;
export type Page<T> = { items: T[]; nextPageToken: string | null; totalRecords: number | null };

/** A numeric meeting id (never a uuid) as a path segment; anything else is a bug upstream of us. */
function meetingIdSegment(meetingId: string): string {
  if (!/^\d{1,20}$/.test(meetingId)) {
    throw new AppError("bad_request", "Not a Zoom meeting id.", { details: { meetingId } });
  }
  return meetingId;
}

const nextToken = (t: string | undefined) => (t ? t : null);

export function createZoomClient(transport: Transport) {
  async function send<T extends z.ZodType>(
    method: ApiCall["method"],
    path: string,
    schema: T,
    opts: { query?: Query; body?: unknown } = {},
  ): Promise<z.infer<T>> {
    const answer = await transport({ method, path, query: opts.query, body: opts.body });
    const parsed = schema.safeParse(answer.body ?? {});
    if (!parsed.success) {
      throw new AppError("upstream_error", "Zoom sent a response Kairos could not read.", {
        internal: { path, issues: parsed.error.issues.slice(0, 5) },
      });
    }
    return parsed.data;
  }

  async function listMeetings(
    opts: { pageToken?: string; type?: "scheduled" | "upcoming"; pageSize?: number } = {},
  ): Promise<Page<ZoomMeetingListItem>> {
    const page = await send("GET", "/users/me/meetings", ZoomMeetingPage, {
      query: {
        type: opts.type ?? "upcoming",
        page_size: opts.pageSize ?? 300,
        next_page_token: opts.pageToken,
      },
    });
    return {
      items: page.meetings,
      nextPageToken: nextToken(page.next_page_token),
      totalRecords: page.total_records ?? null,
    };
  }

  return {
    /** The connected Zoom user: `id` (host id), `account_id`, `type` (plan; see zoomPlanOf). */
    me: () => send("GET", "/users/me", ZoomUser),

    /** 201 + meeting. Never retried blindly (no idempotency key): on `outcome: "unknown"`, look
     *  for the agenda marker with `listMeetings` before creating again. Counts toward 100/day. */
    createMeeting: (body: ZoomMeetingCreate) =>
      send("POST", "/users/me/meetings", ZoomMeeting, { body }),

    /** 200 + meeting, with a fresh `start_url` (use it at once, never store it). */
    getMeeting: (meetingId: string) =>
      send("GET", `/meetings/${meetingIdSegment(meetingId)}`, ZoomMeeting),

    /** 204, no body (re-get if needed). Send only changed fields. Counts toward 100/day. */
    updateMeeting: async (meetingId: string, patch: ZoomMeetingPatch): Promise<void> => {
      await send("PATCH", `/meetings/${meetingIdSegment(meetingId)}`, z.unknown(), {
        body: patch,
      });
    },

    /**
     * Deletes without mails from Zoom. Idempotent: a meeting already gone (404 `3001`) resolves
     * "already_gone" instead of throwing; any other failure throws.
     */
    deleteMeeting: async (meetingId: string): Promise<"deleted" | "already_gone"> => {
      try {
        await send("DELETE", `/meetings/${meetingIdSegment(meetingId)}`, z.unknown(), {
          query: { schedule_for_reminder: false, cancel_meeting_reminder: false },
        });
        return "deleted";
      } catch (err) {
        if (zoomCodeIn(err) === ZOOM_MEETING_NOT_FOUND) return "already_gone";
        throw err;
      }
    },

    /** One page of the host's meetings (default `upcoming`, 300 a page). */
    listMeetings,

    /** Every page of `listMeetings`, as one async iterable. */
    meetings: async function* (opts: { type?: "scheduled" | "upcoming" } = {}) {
      let pageToken: string | undefined;
      do {
        const page = await listMeetings({ ...opts, pageToken });
        yield* page.items;
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
    },

    /** One ended instance: actual start, end, `duration` in minutes, counts. 404 `3001` if none. */
    pastMeeting: (uuid: string) =>
      send("GET", `/past_meetings/${meetingUuidSegment(uuid)}`, ZoomPastMeeting),

    /**
     * One page (up to 300 join rows; `duration` in seconds) of an ended instance's participants.
     * Paid hosts only: a Basic host's answer is `forbidden` with `details.reason: "plan"`; 404
     * `3001` while Zoom has not published the report yet (minutes after the end).
     */
    pastMeetingParticipants: async (
      uuid: string,
      pageToken?: string,
    ): Promise<Page<ZoomPastParticipant>> => {
      const page = await send(
        "GET",
        `/past_meetings/${meetingUuidSegment(uuid)}/participants`,
        ZoomParticipantPage,
        { query: { page_size: 300, next_page_token: pageToken } },
      );
      return {
        items: page.participants,
        nextPageToken: nextToken(page.next_page_token),
        totalRecords: page.total_records ?? null,
      };
    },
  };
}

export type ZoomClient = ReturnType<typeof createZoomClient>;

/** The coach's Zoom client: every call goes through their CoachGuard. */
export function zoomFor(env: Env, coachId: string): ZoomClient {
  const guard = coachGuard(env, coachId);
  return createZoomClient(async (call) =>
    unwrap((await guard.zoom(coachId, call)) as GuardResult<ApiAnswer>),
  );
}
