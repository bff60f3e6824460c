/** Runs one `reaction` job: the named reactor on the coach's recorded event. */
import { getDomainEvent } from "../db/domain-events";
import type { CoachScope } from "../env";
import { log } from "../lib/log";
import { reactorNamed } from "./reactors";

export async function runReaction(
  env: Env,
  scope: CoachScope,
  job: { reactor: string; domainEventId: string },
): Promise<void> {
  const reactor = reactorNamed(job.reactor);
  const event = await getDomainEvent(scope, job.domainEventId);
  // A reactor removed since the job was sent, or an event gone with its coach: nothing to do.
  if (!reactor || !event) {
    log.warn("reaction.skipped", { ...job, why: reactor ? "no_event" : "no_reactor" });
    return;
  }
  await reactor(env, scope, event);
}
