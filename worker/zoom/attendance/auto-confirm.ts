/**
 * The `attendance.auto_confirm` job: the coach turned auto-confirm on and a proposal's time came.
 * It confirms through the same path as the coach's button, so a verdict that changed since (the
 * report showed the client, the coach decided) is left alone instead of marked at Calendly.
 */
import type { CoachScope } from "../../env";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/log";
import { confirmNoShow } from "./reviews";

export async function runAutoConfirm(
  env: Env,
  scope: CoachScope,
  job: { sessionId: string; inviteeId: string },
) {
  try {
    await confirmNoShow(env, scope, job.sessionId, job.inviteeId, "auto");
  } catch (err) {
    // No longer a proposal (or the session is gone): nothing to confirm, and never will be.
    if (err instanceof AppError && (err.code === "conflict" || err.code === "not_found")) {
      log.info("attendance.auto_confirm_skipped", { coachId: scope.coachId, code: err.code });
      return;
    }
    throw err;
  }
}
