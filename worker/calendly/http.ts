/**
 * Calendly HTTP errors → typed AppErrors. Branch on status only (Calendly's `title`s drift); the
 * upstream body goes to `internal` (logs), never to the coach.
 */
import { AppError } from "../lib/errors";

export async function calendlyError(res: Response, what: string): Promise<AppError> {
  const body = await res.text().catch(() => "");
  const internal = { status: res.status, what, body: body.slice(0, 500) };
  switch (res.status) {
    case 401:
      return new AppError("reconnect_required", "Your Calendly connection needs to be renewed.", {
        internal,
      });
    case 403:
      return new AppError("forbidden", "Calendly refused this request for your account.", {
        internal,
      });
    case 404:
      return new AppError("not_found", "Calendly could not find that item.", { internal });
    case 429:
      return new AppError("rate_limited", "Calendly is busy right now; please retry shortly.", {
        internal,
        details: { retryAfterSeconds: Number(res.headers.get("x-ratelimit-reset")) || undefined },
      });
    default:
      return res.status >= 500
        ? new AppError("upstream_unavailable", "Calendly is not responding right now.", {
            internal,
          })
        : new AppError("upstream_error", "Calendly rejected a request from Kairos.", { internal });
  }
}

export const UPSTREAM_TIMEOUT_MS = 10_000;
