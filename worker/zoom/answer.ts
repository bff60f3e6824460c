/**
 * A Zoom HTTP answer → the guard's plain answer (status + parsed JSON; PATCH and DELETE answer 204
 * with no body), or the typed error of ./errors.ts.
 */
import type { ApiAnswer, ApiCall } from "../upstream/transport";
import { zoomHttpError } from "./errors";

export async function readZoomAnswer(res: Response, call: ApiCall): Promise<ApiAnswer> {
  const what = `${call.method} ${call.path}`;
  const text = await res.text();
  if (!res.ok) throw zoomHttpError(res.status, text, what);
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    throw zoomHttpError(502, text, `${what} (not JSON)`);
  }
}
