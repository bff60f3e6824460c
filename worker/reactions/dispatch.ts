/**
 * Hands recorded domain events to their reactors: claim (a lease) → one `reaction` job per event
 * and reactor, in bulk → mark sent. Whoever records events dispatches right after (the webhook
 * consumer per batch, reconcile per page); the 5-minute sweep hands over whatever a crash left, once
 * its lease has lapsed. So every event reaches every reactor at least once; a crash between sending
 * and marking can send it twice, which reactors tolerate (./reactor.ts).
 */
import { createDb, type Database } from "../db/client";
import {
  claimUnsentDomainEvents,
  DOMAIN_EVENT_CLAIM_SIZE,
  markReactionsSent,
} from "../db/domain-events";
import { enqueueJobs, type Job } from "../queues/job";
import { reactorNames } from "./reactors";

/** Longer than any dispatch takes; shorter than anyone would wait for a confirmation email. */
export const DISPATCH_LEASE_MS = 2 * 60_000;
/** 10 claims of 90 a call: far past any batch's events, well inside D1's 1,000 queries. */
const MAX_CLAIMS = 10;

export async function dispatchDomainEvents(
  env: Env,
  db: Database,
  {
    coachId,
    now = new Date(),
    recordedBefore,
  }: {
    coachId?: string;
    now?: Date;
    recordedBefore?: Date;
  } = {},
): Promise<number> {
  const leaseUntil = new Date(now.getTime() - DISPATCH_LEASE_MS);
  let handed = 0;
  for (let i = 0; i < MAX_CLAIMS; i++) {
    const claimed = await claimUnsentDomainEvents(db, { coachId, now, leaseUntil, recordedBefore });
    if (claimed.length === 0) break;
    const jobs: Job[] = claimed.flatMap((e) =>
      reactorNames().map((reactor) => ({
        type: "reaction" as const,
        reactor,
        coachId: e.coachId,
        domainEventId: e.id,
      })),
    );
    await enqueueJobs(env, jobs);
    await markReactionsSent(
      db,
      claimed.map((e) => e.id),
      now,
    );
    handed += claimed.length;
    if (claimed.length < DOMAIN_EVENT_CLAIM_SIZE) break;
  }
  return handed;
}

/** The sweep: events a dispatcher claimed and never sent (or never claimed: a crash before it). */
export function sweepUndispatchedDomainEvents(env: Env, now: Date) {
  const recordedBefore = new Date(now.getTime() - DISPATCH_LEASE_MS);
  return dispatchDomainEvents(env, createDb(env.DB), { now, recordedBefore });
}
