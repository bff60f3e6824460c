/**
 * Domain events reach every reactor at least once: right after they are recorded, or — when the
 * dispatcher died between claiming and sending — from the sweep once the claim's lease lapsed.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../../worker/db/client";
import { recordDomainEvent } from "../../../worker/db/domain-events";
import { DISPATCH_LEASE_MS, dispatchDomainEvents } from "../../../worker/reactions/dispatch";
import type { Reactor } from "../../../worker/reactions/reactor";
import { REACTORS } from "../../../worker/reactions/reactors";
import { runReaction } from "../../../worker/reactions/run";
import { recordingQueue } from "../helpers/counting-queue";
import { seedConnectedCoaches } from "../helpers/seed-coaches";
import {
  APP_SIGNING_KEY,
  bookingEnvelope,
  deliver,
  seedSubscription,
  signedDelivery,
} from "../helpers/webhooks";

const db = createDb(env.DB);
const registry = REACTORS as Record<string, Reactor>;
const probes = ["probe_a", "probe_b"];

/** Two probe reactors beside the real ones, so the test does not depend on which exist. */
function withProbes() {
  const seen: string[] = [];
  for (const name of probes)
    registry[name] = async (_env, _scope, e) => void seen.push(`${name}:${e.id}`);
  return seen;
}
afterEach(() => {
  for (const name of probes) delete registry[name];
});

async function recordEvents(coachId: string, n: number) {
  for (let i = 0; i < n; i++) {
    await recordDomainEvent(
      { db, coachId },
      {
        type: "booking.created",
        dedupeKey: `booking.created|${coachId}|${i}`,
        sessionId: null,
        payload: {},
      },
    );
  }
}

const reactionJobs = (bodies: unknown[]) =>
  bodies.filter((b) => (b as { type: string }).type === "reaction") as {
    reactor: string;
    coachId: string;
    domainEventId: string;
  }[];

describe("domain event dispatch", () => {
  it("sends one reaction job per event and reactor, in bulk, and never hands an event over twice", async () => {
    withProbes();
    const [coachId] = await seedConnectedCoaches(1, { prefix: "rx1" });
    await recordEvents(coachId!, 150);
    const queue = recordingQueue();
    const jobsEnv = { ...env, JOBS: queue.binding };

    expect(await dispatchDomainEvents(jobsEnv, db, { coachId })).toBe(150);
    const jobs = reactionJobs(queue.bodies).filter((j) => probes.includes(j.reactor));
    expect(jobs).toHaveLength(300);
    expect(new Set(jobs.map((j) => `${j.reactor}:${j.domainEventId}`)).size).toBe(300);
    expect(queue.calls.send).toBe(0); // sendBatch only

    queue.reset();
    expect(await dispatchDomainEvents(jobsEnv, db, { coachId })).toBe(0);
    expect(queue.bodies).toHaveLength(0);
  });

  it("re-sends an event whose dispatcher claimed it and died, once the lease has lapsed", async () => {
    withProbes();
    const [coachId] = await seedConnectedCoaches(1, { prefix: "rx2" });
    await recordEvents(coachId!, 3);
    const dying = {
      ...env,
      JOBS: { sendBatch: async () => Promise.reject(new Error("queue down")) } as unknown as Queue,
    };
    await expect(dispatchDomainEvents(dying, db, { coachId })).rejects.toThrow("queue down");

    const queue = recordingQueue();
    const jobsEnv = { ...env, JOBS: queue.binding };
    // Still leased: a second dispatcher right away does not double up on the first one's claim.
    expect(await dispatchDomainEvents(jobsEnv, db, { coachId })).toBe(0);
    const later = new Date(Date.now() + DISPATCH_LEASE_MS + 1000);
    expect(await dispatchDomainEvents(jobsEnv, db, { now: later, recordedBefore: later })).toBe(3);
    expect(
      reactionJobs(queue.bodies).filter((j) => j.coachId === coachId && probes.includes(j.reactor)),
    ).toHaveLength(6);
  });

  it("runs a reaction on the coach's own event only", async () => {
    const seen = withProbes();
    const [mine, theirs] = await seedConnectedCoaches(2, { prefix: "rx3" });
    await recordEvents(mine!, 1);
    const queue = recordingQueue();
    await dispatchDomainEvents({ ...env, JOBS: queue.binding }, db, { coachId: mine });
    const [job] = reactionJobs(queue.bodies).filter((j) => j.reactor === "probe_a");

    await runReaction(env, { db, coachId: theirs! }, job!);
    expect(seen).toEqual([]);
    await runReaction(env, { db, coachId: mine! }, job!);
    expect(seen).toEqual([`probe_a:${job!.domainEventId}`]);
  });

  it("hands a webhook's booking to every reactor through the real queues, once however often it comes", async () => {
    const seen = withProbes();
    const { subscriptionId } = await seedSubscription("rx4");
    const { raw, headers } = await signedDelivery(APP_SIGNING_KEY, bookingEnvelope("rx4", 1));
    for (let i = 0; i < 3; i++) expect((await deliver(subscriptionId, raw, headers)).ok).toBe(true);

    const eventId = await vi.waitFor(
      async () => {
        const row = await env.DB.prepare(
          "select id from domain_events where coach_id = 'coa_rx4'",
        ).first<{ id: string }>();
        const id = row?.id ?? "none";
        expect(seen).toEqual(expect.arrayContaining(probes.map((p) => `${p}:${id}`)));
        return id;
      },
      { timeout: 10_000, interval: 100 },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((s) => s === `probe_a:${eventId}`)).toHaveLength(1);
  });
});
