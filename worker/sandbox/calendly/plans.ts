/**
 * Calendly billing tiers as the fake applies them, per user (key/value row `plan:<userId>`, default
 * `paid`). Numbers from Calendly's rate-limit page (2026-04-15) and the 2026-11-03 release notes:
 * - every endpoint: 500 requests per user per minute on paid plans (trial and Enterprise too), 50 on Free;
 * - `POST /invitees` has its own windows: trial 5 a day; paid non-Enterprise 10 a minute, 50 an hour,
 *   100 a day; Enterprise 500 a minute. Free "is subject to endpoint-specific limits" that Calendly
 *   does not publish: the fake applies the paid non-Enterprise ones (stricter when unsure);
 * - webhooks are on every plan since 2026-11-03, but some events need a plan feature
 *   (`routing_form_submission.created`, `meeting_recap.*`): Free is refused those with 403.
 * Counters live in D1 (key/value, one row per window), never in memory: every isolate sees them.
 */
import { eq } from "drizzle-orm";
import { sbKv } from "../db/schema";
import { bump, type SandboxDb } from "./store";

export const PLANS = ["free", "trial", "paid", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];
export const DEFAULT_PLAN: Plan = "paid";

/** Calendly's 403 message for a plan that lacks a feature (since 2026-11-03). */
export const UPGRADE_MESSAGE = "Please upgrade to a paid Calendly account.";
/** Webhook events that need a plan feature Free does not include. */
export const PLAN_GATED_EVENTS = ["routing_form_submission.created", "meeting_recap.created"];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
type Window = { name: "minute" | "hour" | "day"; ms: number; limit: number };

const PAID_INVITEE_WINDOWS: Window[] = [
  { name: "minute", ms: MINUTE, limit: 10 },
  { name: "hour", ms: HOUR, limit: 50 },
  { name: "day", ms: DAY, limit: 100 },
];
const INVITEE_WINDOWS: Record<Plan, Window[]> = {
  free: PAID_INVITEE_WINDOWS,
  trial: [{ name: "day", ms: DAY, limit: 5 }],
  paid: PAID_INVITEE_WINDOWS,
  enterprise: [{ name: "minute", ms: MINUTE, limit: 500 }],
};

export const requestsPerMinute = (plan: Plan) => (plan === "free" ? 50 : 500);
export const inviteeLimits = (plan: Plan) =>
  Object.fromEntries(INVITEE_WINDOWS[plan].map((w) => [w.name, w.limit]));

export async function getPlan(db: SandboxDb, userId: string): Promise<Plan> {
  const row = await db.query.sbKv.findFirst({ where: eq(sbKv.key, `plan:${userId}`) });
  return PLANS.find((p) => p === row?.value) ?? DEFAULT_PLAN;
}

export async function setPlan(db: SandboxDb, userId: string, plan: Plan) {
  await db
    .insert(sbKv)
    .values({ key: `plan:${userId}`, value: plan })
    .onConflictDoUpdate({ target: sbKv.key, set: { value: plan } });
}

export type Budget = { ok: boolean; limit: number; remaining: number; resetSeconds: number };

/**
 * Counts one `POST /invitees` request in each of the plan's windows (fixed clock windows; every
 * request counts, refused ones too) and says whether it may go on. The answer describes the window
 * that binds: the exceeded one that resets last, else the one with the fewest requests left.
 */
export async function takeInviteeBudget(
  db: SandboxDb,
  userId: string,
  plan: Plan,
  now = Date.now(),
): Promise<Budget> {
  const windows = await Promise.all(
    INVITEE_WINDOWS[plan].map(async (w) => {
      const slot = Math.floor(now / w.ms);
      const used = await bump(db, `invitees:${plan}:${userId}:${w.name}:${slot}`);
      const resetSeconds = Math.max(1, Math.ceil(((slot + 1) * w.ms - now) / 1000));
      return { limit: w.limit, used, resetSeconds };
    }),
  );
  const over = windows.filter((w) => w.used > w.limit);
  if (over.length) {
    const binding = over.reduce((a, b) => (b.resetSeconds > a.resetSeconds ? b : a));
    return { ok: false, limit: binding.limit, remaining: 0, resetSeconds: binding.resetSeconds };
  }
  const binding = windows.reduce((a, b) => (b.limit - b.used < a.limit - a.used ? b : a));
  return {
    ok: true,
    limit: binding.limit,
    remaining: binding.limit - binding.used,
    resetSeconds: binding.resetSeconds,
  };
}

/** How a taken slot is answered: Calendly's documented 404, or a 400 naming `start_time`. */
export type SlotTakenAnswer = 404 | 400;

export async function getSlotTakenAnswer(db: SandboxDb): Promise<SlotTakenAnswer> {
  const row = await db.query.sbKv.findFirst({ where: eq(sbKv.key, "slot_taken_answer") });
  return row?.value === "400" ? 400 : 404;
}

export async function setSlotTakenAnswer(db: SandboxDb, answer: SlotTakenAnswer) {
  const value = String(answer);
  await db
    .insert(sbKv)
    .values({ key: "slot_taken_answer", value })
    .onConflictDoUpdate({ target: sbKv.key, set: { value } });
}
