/**
 * Upstream HTTP answers that are not a success → typed AppErrors, in one table. Branch on status only
 * (Calendly's `title`s drift); the upstream body goes to `internal` (logs), never to the coach.
 * 429, 5xx and timeouts never get here: the policy (./policy.ts) turns them into errors first.
 */
import { AppError } from "../lib/errors";
import { UPSTREAM_LABEL, type Upstream } from "./policy";

export function upstreamHttpError(
  upstream: Upstream,
  status: number,
  body: string,
  what: string,
): AppError {
  const name = UPSTREAM_LABEL[upstream];
  const options = {
    internal: { upstream, status, what, body: body.slice(0, 500) },
    details: { upstream, upstreamStatus: status },
  };
  switch (status) {
    case 401:
      return new AppError(
        "reconnect_required",
        `Your ${name} connection needs to be renewed.`,
        options,
      );
    case 403:
      return new AppError("forbidden", `${name} refused this request for your account.`, options);
    case 404:
      return new AppError("not_found", `${name} could not find that item.`, options);
    case 409:
      return new AppError("conflict", `${name} says this already exists.`, options);
    case 424:
      return new AppError(
        "upstream_error",
        `${name} could not reach one of your connected calendars. Please try again later.`,
        options,
      );
    default:
      return status >= 500
        ? new AppError("upstream_unavailable", `${name} is not responding right now.`, options)
        : new AppError("upstream_error", `${name} rejected a request from Kairos.`, options);
  }
}
