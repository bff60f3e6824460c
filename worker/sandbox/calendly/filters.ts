/**
 * Query-parameter checks of the fake Calendly's read endpoints, as Calendly documents them. A value
 * it cannot read is a 400 "Invalid Argument" naming each bad parameter, never silently ignored: an
 * ignored `status=bogus` answers the whole list, a garbled time an empty one that looks like "no
 * sessions". Parameters Calendly does not know are ignored, as there.
 */
import type { Context } from "hono";
import { decodePageToken, parseCount } from "./paging";
import { apiError } from "./store";

export type Detail = { parameter: string; message: string };
/** A problem with the value, or null when it is acceptable. */
type Check = (value: string) => string | null;

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;

/** Epoch ms of an ISO-8601 time with its offset (Calendly's format), else NaN. */
export const parseTimestamp = (s: string | undefined) =>
  s !== undefined && ISO_TIME.test(s) ? Date.parse(s) : Number.NaN;

export const oneOf =
  (...values: string[]): Check =>
  (v) =>
    values.includes(v) ? null : `must be one of: ${values.join(", ")}`;

/** `field:asc|desc`, comma-separated, over the fields the endpoint sorts by. */
export const sortBy =
  (...fields: string[]): Check =>
  (v) =>
    v.split(",").every((part) => {
      const [field = "", direction, ...rest] = part.split(":");
      return (
        fields.includes(field) && (direction === "asc" || direction === "desc") && !rest.length
      );
    })
      ? null
      : `must be ${fields.map((f) => `${f}:asc or ${f}:desc`).join(", ")}`;

export const timestamp: Check = (v) =>
  Number.isNaN(parseTimestamp(v))
    ? "must be an ISO-8601 time with its offset, e.g. 2020-01-02T03:04:05.678123Z"
    : null;
export const boolean: Check = (v) =>
  v === "true" || v === "false" ? null : "must be true or false";
export const emailAddress: Check = (v) =>
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? null : "must be an email";
export const uri: Check = (v) => (/^https?:\/\/[^\s/]+\/\S+$/.test(v) ? null : "must be a URI");
export const count: Check = (v) => {
  const n = parseCount(v);
  return typeof n === "string" ? n : null;
};
export const pageToken: Check = (v) => (decodePageToken(v) === null ? "is invalid" : null);

/** Pagination parameters every list endpoint takes. */
export const PAGING = { count, page_token: pageToken };

/** Every problem with the request's query, in the order of `checks`; empty when it may proceed. */
export function queryProblems(
  query: Record<string, string>,
  checks: Record<string, Check>,
  required: string[] = [],
): Detail[] {
  const names = [...new Set([...Object.keys(checks), ...required])];
  return names.flatMap((name) => {
    const value = query[name];
    // An empty value is a bad value, except where the parameter is required: then it is missing.
    const problem =
      (value === undefined || value === "") && required.includes(name)
        ? `${name} is required`
        : value === undefined
          ? null
          : (checks[name]?.(value) ?? null);
    return problem ? [{ parameter: name, message: problem }] : [];
  });
}

export const badArguments = (c: Context, details: Detail[]) =>
  apiError(c, 400, "Invalid Argument", "The supplied parameters are invalid.", details);

/** The 400 answer for a bad query, or null when it may proceed. */
export function checkQuery(c: Context, checks: Record<string, Check>, required: string[] = []) {
  const details = queryProblems(c.req.query(), checks, required);
  return details.length ? badArguments(c, details) : null;
}
