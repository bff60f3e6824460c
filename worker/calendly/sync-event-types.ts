/**
 * Pulls a coach's event types from Calendly (all pages) into D1. Tokens come from the coach's
 * CoachGuard, never from D1 directly, so refreshes stay single-flight.
 */
import { getCoach } from "../db/coaches";
import { replaceEventTypes } from "../db/event-types";
import { calendlyFor } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { collect } from "./client";

export async function syncEventTypes(env: Env, scope: CoachScope) {
  const coach = await getCoach(scope.db, scope.coachId);
  if (!coach) throw new AppError("not_found", "Coach not found.");
  const client = calendlyFor(env, scope.coachId);
  const items = await collect(client.eventTypes(coach.calendlyUserUri));
  await replaceEventTypes(scope, items);
}
