/**
 * The booking page's calls to /api/public. Plain fetch keeps the bundle small; the shapes are the
 * worker's zod schemas (type imports only, erased at build).
 */
import type { z } from "zod";
import type {
  BookingRequest,
  BookingResult,
  PublicAvailability,
  PublicBooking,
  PublicCoachView,
} from "../../worker/schemas/public";

export type Coach = z.infer<typeof PublicCoachView>;
export type EventType = Coach["eventTypes"][number];
export type Booking = z.infer<typeof PublicBooking>;
export type Result = z.infer<typeof BookingResult>;
export type Request = z.input<typeof BookingRequest>;
export type Problem = {
  status: number;
  message: string;
  fields: Record<string, string>;
  slots: string[];
};

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/public${path}`, init);
  } catch {
    throw {
      status: 0,
      message: "You seem to be offline. Please try again.",
      fields: {},
      slots: [],
    };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as T;
  const error = (body as { error?: { message?: string; details?: unknown } } | null)?.error ?? {};
  const details = error.details as { slots?: unknown } | { field: string; message: string }[];
  const problem: Problem = {
    status: res.status,
    message: error.message ?? "Something went wrong. Please try again.",
    fields: Object.fromEntries(
      (Array.isArray(details) ? details : []).map((d: { field: string; message: string }) => [
        d.field,
        d.message,
      ]),
    ),
    slots: details && !Array.isArray(details) && Array.isArray(details.slots) ? details.slots : [],
  };
  throw problem;
}

const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export const getCoach = (slug: string) => call<Coach>(`/coaches/${encodeURIComponent(slug)}`);

export const getSlots = (coach: string, eventType: string, from: Date, to: Date) =>
  call<z.infer<typeof PublicAvailability>>(
    `/availability?${new URLSearchParams({
      coach,
      eventType,
      from: from.toISOString(),
      to: to.toISOString(),
    })}`,
  );

export const getFormToken = () =>
  call<{ formToken: string }>("/form-tokens", { method: "POST" }).then((r) => r.formToken);

export const book = (request: Request) => call<Result>("/bookings", post(request));

export const getBooking = (token: string) => call<Booking>(`/bookings/${token}`);

export const cancelBooking = (token: string, reason: string) =>
  call<Booking>(`/bookings/${token}/cancel`, post({ reason }));
