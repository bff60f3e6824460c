/**
 * Every reactor, by name. A recorded domain event becomes one `reaction` job per entry (./dispatch.ts),
 * so each reactor retries on its own and one failing never holds back another.
 */
import { planNotifications } from "../notifications/planner";
import { zoomReactor } from "../zoom/meetings/reactor";
import type { Reactor } from "./reactor";

export const REACTORS = {
  zoom: zoomReactor,
  notifications: planNotifications,
} satisfies Record<string, Reactor>;

export type ReactorName = keyof typeof REACTORS;

export const reactorNames = () => Object.keys(REACTORS) as ReactorName[];

export const reactorNamed = (name: string): Reactor | undefined =>
  (REACTORS as Record<string, Reactor>)[name];
