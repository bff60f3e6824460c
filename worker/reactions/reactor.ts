/**
 * A reactor turns a recorded domain event into work outside the booking records (a Zoom meeting,
 * messages to the client). Each event reaches each reactor at least once — possibly twice, possibly
 * after a later event — so a reactor is idempotent and acts on the session's CURRENT state, using
 * the event only to know which session (or chain) to look at.
 */

import type { domainEvents } from "../db/schema";
import type { CoachScope } from "../env";

export type DomainEvent = typeof domainEvents.$inferSelect;

export type Reactor = (env: Env, scope: CoachScope, event: DomainEvent) => Promise<void>;
