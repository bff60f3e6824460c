/**
 * One Zoom API call as CoachGuard makes it (the guard supplies tokens, gates and storage): the
 * day's meeting-write budget first (refused here after 100), then the gate of the call's Zoom
 * rate-limit label. A 401 `124` (token invalid or expired early) refreshes once and resends once —
 * a 401 was not applied, so resending is safe; a 401 that survives it, or `4700` (scopes missing),
 * marks the connection `needs_reconnect`.
 */
import { createDb } from "../db/client";
import { setConnectionStatus } from "../db/connections";
import { AppError } from "../lib/errors";
import { type GateKey, isZoomMeetingWrite, zoomGateFor } from "../upstream/gates";
import type { UpstreamGate } from "../upstream/policy";
import { type ApiAnswer, type ApiCall, apiRequest, isIdempotent } from "../upstream/transport";
import { readZoomAnswer } from "./answer";
import { ZOOM_INVALID_TOKEN, ZOOM_SCOPES_MISSING, zoomCodeOf } from "./errors";
import { exhaustMeetingWrites, spendMeetingWrite } from "./meeting-write-budget";

export type ZoomCallDeps = {
  env: Env;
  coachId: string;
  /** A token valid for `minValidityMs` and not `deadToken` (the guard's single-flight lane). */
  token: (minValidityMs: number, deadToken?: string) => Promise<string>;
  gate: (key: GateKey) => UpstreamGate;
  kv: { get<T>(key: string): T | undefined; put(key: string, value: unknown): void };
  refreshMarginMs: number;
};

const DAILY_WAIT_MS = 10 * 60_000;
function isDailyLimit(err: unknown): boolean {
  if (!(err instanceof AppError) || err.code !== "rate_limited") return false;
  const retryAt = Date.parse(String((err.details as { retryAt?: unknown })?.retryAt));
  return Number.isFinite(retryAt) && retryAt - Date.now() > DAILY_WAIT_MS;
}

const codeOf = async (res: Response) => zoomCodeOf(await res.clone().text());

export async function guardedZoomCall(d: ZoomCallDeps, call: ApiCall): Promise<ApiAnswer> {
  const write = isZoomMeetingWrite(call);
  const gate = d.gate(zoomGateFor(call));
  const send = (token: string) => {
    if (write) spendMeetingWrite(d.kv);
    return gate.send(apiRequest(d.env.ZOOM_API_BASE, token, call), {
      idempotent: isIdempotent(call.method),
    });
  };
  const token = await d.token(d.refreshMarginMs);
  let res: Response;
  try {
    res = await send(token);
    if (res.status === 401 && (await codeOf(res)) === ZOOM_INVALID_TOKEN) {
      res = await send(await d.token(0, token));
    }
  } catch (err) {
    // Zoom refused a write until far off (other apps of this user share the 100 a day): a daily
    // limit, not a per-second one, so no more writes today.
    if (write && isDailyLimit(err)) exhaustMeetingWrites(d.kv);
    throw err;
  }
  if (res.status === 401) {
    const message =
      (await codeOf(res)) === ZOOM_SCOPES_MISSING
        ? "Zoom says Kairos lacks a permission it needs. Please reconnect Zoom and allow it."
        : "Zoom no longer accepts Kairos's access. Please reconnect.";
    const scope = { db: createDb(d.env.DB), coachId: d.coachId };
    await setConnectionStatus(scope, "zoom", "needs_reconnect", message);
  }
  return readZoomAnswer(res, call);
}
