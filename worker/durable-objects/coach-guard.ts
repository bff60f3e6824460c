/**
 * Callers' side of CoachGuard (./coach-guard-object.ts, the Durable Object): the stub for a coach,
 * unwrapping its answers, and the coach's Calendly client whose every call goes through the guard.
 */
import { createCalendlyClient } from "../calendly/client";
import type { Provider } from "../db/schema";
import { AppError } from "../lib/errors";
import type { ApiAnswer } from "../upstream/transport";
import type { GuardResult } from "./coach-guard-object";

export { CoachGuard, type GuardResult, type UpstreamStatus } from "./coach-guard-object";

/** The stub for a coach's guard. */
export const coachGuard = (env: Env, coachId: string) =>
  env.COACH_GUARD.get(env.COACH_GUARD.idFromName(coachId));

/** Unwraps a guard answer: the value, or the typed AppError it carried. */
export function unwrap<T>(result: GuardResult<T>): T {
  if (!result.ok) throw new AppError(result.code, result.message, { details: result.details });
  return result.value;
}

/** A usable access token for the coach, or a typed AppError saying why not. */
export async function accessTokenFor(
  env: Env,
  coachId: string,
  provider: Provider,
  minValidityMs?: number,
) {
  return unwrap(await coachGuard(env, coachId).accessToken(coachId, provider, minValidityMs));
}

/** The coach's Calendly client: every call goes through their CoachGuard. */
export function calendlyFor(env: Env, coachId: string) {
  const guard = coachGuard(env, coachId);
  return createCalendlyClient(async (call) =>
    unwrap((await guard.calendly(coachId, call)) as GuardResult<ApiAnswer>),
  );
}
