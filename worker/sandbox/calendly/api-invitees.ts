/**
 * `POST /invitees` (Scheduling API, contract §2.10) in the fake Calendly, as strict as Calendly:
 * - the plan's own windows (plans.ts) are counted first, in D1; beyond one: 429 with
 *   `X-RateLimit-*` describing that window (Calendly documents no `Retry-After`, so none is sent);
 * - `event_type` must be the full URI (a bare uuid is refused), the type must be active, the
 *   invitee's `timezone` a real IANA zone, and `location.kind` one the type offers (with the
 *   `location` text for the kinds that need it);
 * - a slot that is not open answers 404 (documented) or, by control, 400 naming `start_time`.
 */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { utmTags } from "../../lib/utm";
import { isTimeZone } from "../../lib/validation";
import { sbEventTypes, sbInvitees } from "../db/schema";
import type { SandboxApiEnv } from "./api-auth";
import { book, SlotTaken } from "./bookings";
import { getPlan, getSlotTakenAnswer, takeInviteeBudget } from "./plans";
import { checkAnswers, questionsFor } from "./questions";
import { eventTypeResource, inviteeResource } from "./resources";
import { apiError, invalid, sandboxDb, uris } from "./store";

/** Location kinds whose booking needs the `location` text (contract §2.10). */
const NEEDS_TEXT = new Set(["physical", "outbound_call", "ask_invitee", "custom"]);
const TAKEN = "The selected time is no longer available.";

type Body = {
  event_type?: unknown;
  start_time?: string;
  invitee?: {
    email?: string;
    name?: string;
    first_name?: string;
    last_name?: string;
    timezone?: string;
  };
  location?: { kind?: unknown; location?: unknown };
  questions_and_answers?: { question?: unknown; answer?: unknown }[];
  tracking?: Record<string, unknown>;
};

export const calendlyInvitees = new Hono<SandboxApiEnv>().post("/invitees", async (c) => {
  const db = sandboxDb(c.env);
  const budget = await takeInviteeBudget(db, c.var.user.id, await getPlan(db, c.var.user.id));
  c.header("X-RateLimit-Limit", String(budget.limit));
  c.header("X-RateLimit-Remaining", String(budget.remaining));
  c.header("X-RateLimit-Reset", String(budget.resetSeconds));
  if (!budget.ok) return apiError(c, 429, "Too Many Requests", "You have exceeded the rate limit");

  const body = (await c.req.json().catch(() => null)) as Body | null;
  const typePrefix = `${uris(c.env.CALENDLY_API_BASE).eventType("")}`;
  if (typeof body?.event_type !== "string" || !body.event_type)
    return invalid(c, "event_type", "event_type is required");
  if (!body.event_type.startsWith(typePrefix))
    return invalid(c, "event_type", "event_type must be the event type's full URI");
  const start = Date.parse(body.start_time ?? "");
  if (Number.isNaN(start)) return invalid(c, "start_time", "start_time must be an ISO-8601 time");
  const who = body.invitee;
  const name = who?.name ?? [who?.first_name, who?.last_name].filter(Boolean).join(" ");
  if (!who?.email?.includes("@")) return invalid(c, "invitee.email", "A valid email is required");
  if (!who.timezone) return invalid(c, "invitee.timezone", "timezone is required");
  if (!isTimeZone(who.timezone))
    return invalid(c, "invitee.timezone", "timezone must be a valid IANA time zone");
  if (!name) return invalid(c, "invitee.name", "name or first_name is required");

  const et = await db.query.sbEventTypes.findFirst({
    where: eq(sbEventTypes.id, body.event_type.slice(typePrefix.length)),
  });
  if (!et || et.userId !== c.var.user.id)
    return apiError(
      c,
      404,
      "Resource Not Found",
      "The server could not find the requested resource.",
    );
  if (!et.active) return invalid(c, "event_type", "The event type is not active");
  const resource = eventTypeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, c.var.user, et);
  const problem =
    locationProblem(resource.locations ?? [], body.location) ??
    checkAnswers(et.slug, body.questions_and_answers ?? []);
  if (problem) return invalid(c, problem.parameter, problem.message);

  try {
    const ids = await book(
      { env: c.env, waitUntil: (p) => c.executionCtx.waitUntil(p) },
      c.var.user,
      et,
      start,
      { email: who.email, name, timezone: who.timezone },
      "api",
      {
        answers: (body.questions_and_answers ?? []).map((a) => ({
          question: String(a.question),
          answer: String(a.answer),
          position: questionsFor(et.slug).find((q) => q.name === a.question)?.position ?? 0,
        })),
        tracking: utmTags(body.tracking),
      },
    );
    const inv = await db.query.sbInvitees.findFirst({ where: eq(sbInvitees.id, ids.inviteeId) });
    return c.json(
      { resource: inv && inviteeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, inv) },
      201,
    );
  } catch (err) {
    if (err instanceof SlotTaken) return slotTaken(c, await getSlotTakenAnswer(db));
    throw err;
  }
});

function slotTaken(c: Context, answer: 404 | 400) {
  return answer === 400
    ? invalid(c, "start_time", TAKEN)
    : apiError(c, 404, "Resource Not Found", TAKEN);
}

/** Why the requested location does not fit the event type's locations, or null. */
function locationProblem(
  offered: { kind: string }[],
  asked: Body["location"],
): { parameter: string; message: string } | null {
  const kinds = offered.map((l) => l.kind);
  if (asked === undefined || asked === null) {
    // One location is used as it is; with a choice, the invitee must pick.
    return kinds.length > 1
      ? { parameter: "location", message: `location is required: one of ${kinds.join(", ")}` }
      : null;
  }
  if (typeof asked.kind !== "string" || !kinds.includes(asked.kind)) {
    return {
      parameter: "location.kind",
      message: kinds.length
        ? `location.kind must be one of the event type's locations: ${kinds.join(", ")}`
        : "This event type has no location to choose",
    };
  }
  if (NEEDS_TEXT.has(asked.kind) && (typeof asked.location !== "string" || !asked.location)) {
    return { parameter: "location.location", message: `location is required for ${asked.kind}` };
  }
  return null;
}
