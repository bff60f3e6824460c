/**
 * `app_deauthorized` (contract §4.6): the coach removed Kairos in the Zoom Marketplace and Zoom has
 * killed the tokens. The connection becomes `disconnected` (meetings and sessions stay as history),
 * the Marketplace's data-compliance call confirms it, and unless the payload asks to retain user
 * data (`user_data_retention: "true"`) the Zoom ids stored with the connection are forgotten —
 * well inside Zoom's 10 days, since it happens as the event is applied.
 *
 * Retried as a whole until it succeeds (a failed compliance call throws, the queue retries): each
 * step is idempotent, and the ids are forgotten last, so a retry still finds the connection.
 */
import { z } from "zod";
import { getConnection } from "../db/connections";
import { coachGuard, unwrap } from "../durable-objects/coach-guard";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { oneOffGate } from "../upstream/transport";
import { forgetAttendance } from "./attendance/store";
import { forgetZoomIdentity } from "./connection-store";
import { reportDataCompliance, zoomOAuthConfig } from "./oauth";

const Deauthorized = z.looseObject({
  account_id: z.string(),
  user_id: z.string(),
  deauthorization_time: z.string().optional(),
  /** A string; absent means "false". */
  user_data_retention: z.string().optional(),
});

export async function honourDeauthorization(env: Env, scope: CoachScope, payload: unknown) {
  const parsed = Deauthorized.safeParse(payload);
  if (!parsed.success) throw new AppError("bad_request", "Unreadable app_deauthorized payload.");
  const event = parsed.data;
  const conn = await getConnection(scope, "zoom");
  if (!conn) return;
  // A late delivery about a grant the coach has since replaced must not end the new one.
  const deauthorizedAt = Date.parse(event.deauthorization_time ?? "");
  const connectedAt = conn.lastRefreshedAt?.getTime() ?? 0;
  if (conn.status === "connected" && deauthorizedAt < connectedAt) {
    log.info("zoom.deauthorization_stale", { coachId: scope.coachId });
    return;
  }
  unwrap(await coachGuard(env, scope.coachId).zoomGrantEnded(scope.coachId, "deauthorized"));
  await reportDataCompliance(
    zoomOAuthConfig(env),
    { user_id: event.user_id, account_id: event.account_id, payload },
    oneOffGate("zoom"),
  );
  if (event.user_data_retention !== "true") {
    await forgetAttendance(scope); // participants' names, emails and times (contract §4.6)
    await forgetZoomIdentity(scope);
  }
  log.info("zoom.deauthorized", {
    coachId: scope.coachId,
    retained: event.user_data_retention === "true",
  });
}
