/**
 * Drives the notification pipeline by hand: Calendly deliveries → the booking path → each recorded
 * domain event through the `notifications` reactor (as often and in whatever order a test says) →
 * every claim delivered through the local outbox transport. Clocks are passed in, so a test can
 * run the cron "later" without waiting.
 */
import { env, exports } from "cloudflare:workers";
import { applyCalendlyEvent } from "../../../../worker/bookings/apply-calendly-event";
import type { WebhookEnvelope } from "../../../../worker/calendly/webhook-envelope";
import { createDb } from "../../../../worker/db/client";
import type { CoachScope } from "../../../../worker/env";
import { deliverClaim } from "../../../../worker/notifications/deliver";
import { type Claim, claimDue } from "../../../../worker/notifications/outbox";
import { planNotificationsAt } from "../../../../worker/notifications/planner";
import type { DomainEvent } from "../../../../worker/reactions/reactor";
import { recordingQueue } from "../../helpers/counting-queue";

export type MailItem = {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: string }[];
  sessionId: string | null;
  sentAt: string;
};

export function pipeline(scope: CoachScope) {
  const queue = recordingQueue();
  const testEnv = { ...env, NOTIFICATIONS: queue.binding, EMAIL_TRANSPORT: "outbox" } as Env;
  const seen = new Set<string>();

  async function events(): Promise<DomainEvent[]> {
    const rows = await createDb(env.DB).query.domainEvents.findMany({
      where: (d, { eq }) => eq(d.coachId, scope.coachId),
    });
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Plans the events not planned yet (all of them again with `replayAll`), in `order`. */
  async function react(
    opts: { replayAll?: boolean; order?: (e: DomainEvent[]) => DomainEvent[]; now?: Date } = {},
  ) {
    const fresh = (await events()).filter((e) => opts.replayAll || !seen.has(e.id));
    for (const e of opts.order ? opts.order(fresh) : fresh) {
      seen.add(e.id);
      await planNotificationsAt(testEnv, scope, e, opts.now ?? new Date());
    }
  }

  /** Delivers whatever the planner or a cron tick enqueued. */
  async function flush(now = new Date()) {
    const claims = queue.bodies.splice(0) as Claim[];
    const outcomes = [];
    for (const c of claims) outcomes.push(await deliverClaim(testEnv, scope, c, now));
    return outcomes;
  }

  /** One cron tick at `now`, limited to this coach's rows (other test files share the database). */
  async function tick(now: Date) {
    const claims: Claim[] = [];
    for (;;) {
      const page = await claimDueForCoach(now);
      claims.push(...page);
      if (page.length < 100) break;
    }
    const outcomes = [];
    for (const c of claims) outcomes.push(await deliverClaim(testEnv, scope, c, now));
    return outcomes;
  }

  async function claimDueForCoach(now: Date) {
    // The chain filter of claimDue needs a chain: claim chain by chain.
    const chains = await env.DB.prepare(
      "select distinct chain_id as c from notification_outbox where coach_id = ? and chain_id is not null",
    )
      .bind(scope.coachId)
      .all<{ c: string }>();
    const out: Claim[] = [];
    for (const { c } of chains.results)
      out.push(...(await claimDue(scope.db, now, { coachId: scope.coachId, chainId: c })));
    return out;
  }

  async function apply(...deliveries: WebhookEnvelope[]) {
    for (const d of deliveries) await applyCalendlyEvent(scope, d);
  }

  return { apply, react, flush, tick, events, testEnv, queue };
}

export async function mailbox(coachId: string): Promise<MailItem[]> {
  const res = await exports.default.fetch(
    `http://kairos.test/dev/mailbox.json?coach=${encodeURIComponent(coachId)}&limit=200`,
  );
  if (!res.ok) throw new Error(`mailbox ${res.status}`);
  return ((await res.json()) as { items: MailItem[] }).items;
}

export async function outboxRows(coachId: string) {
  const rows = await env.DB.prepare(
    "select id, kind, status, skip_reason as skipReason, due_at as dueAt, planned_start_at as plannedStartAt, offset_minutes as offsetMinutes, session_id as sessionId from notification_outbox where coach_id = ? order by due_at",
  )
    .bind(coachId)
    .all<{
      id: string;
      kind: string;
      status: string;
      skipReason: string | null;
      dueAt: number;
      plannedStartAt: number | null;
      offsetMinutes: number | null;
      sessionId: string | null;
    }>();
  return rows.results;
}
