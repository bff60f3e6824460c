/**
 * The postMessage protocol between the embed loader (on the coach's site, /embed.js) and the booking
 * page in its iframe (/book/…). Both sides post with an exact target origin, never "*", and drop any
 * message whose origin, source window or widget id does not match.
 *
 * Booking page → host: `{ kairos: 1, id, type, payload }` posted to the host origin the loader named
 * in the iframe URL (`embed_origin`, checked server-side against the coach's allowed origins).
 * Host → booking page: `{ kairos: 1, id, type: "prefill", payload }` posted to the Kairos origin.
 */
export const LIFECYCLE_EVENTS = [
  "ready",
  "viewed",
  "dateSelected",
  "timeSelected",
  "booked",
  "rescheduled",
  "canceled",
  "error",
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** `resize` is internal (the iframe's content height); the rest reach `Kairos.on` listeners. */
export type PageMessage = {
  kairos: 1;
  id: string;
  type: LifecycleEvent | "resize";
  payload?: Record<string, unknown>;
};

export type HostMessage = {
  kairos: 1;
  id: string;
  type: "prefill";
  payload: { name?: string; email?: string; answers?: Record<string, string> };
};

/** Query parameters the loader puts on the booking page URL. */
export const EMBED_PARAMS = {
  /** The host page's origin: the only origin the booking page will post to. */
  origin: "embed_origin",
  /** The widget instance id echoed in every message (several widgets can share a page). */
  id: "embed_id",
  theme: "theme",
} as const;
