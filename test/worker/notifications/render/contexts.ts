/** MessageContexts for the renderer tests: Dana in New York, her client Sam in Berlin. */
import type { NotificationKind } from "../../../../worker/notifications/kinds";
import { sampleContext } from "../../../../worker/notifications/render/sample";
import type { MessageContext, Person } from "../../../../worker/notifications/render/types";

export const DANA: Person = {
  name: "Dana Reyes",
  email: "dana@coach.test",
  timeZone: "America/New_York",
};
export const SAM: Person = {
  name: "Sam Rivera",
  email: "sam@example.net",
  timeZone: "Europe/Berlin",
};
export const APP = "http://kairos.test";

/** Thursday 10 December 2026, 10:00–10:30 in New York (15:00Z; 16:00 in Berlin). */
export const START = new Date("2026-12-10T15:00:00Z");
export const END = new Date("2026-12-10T15:30:00Z");

export function contextFor(
  kind: NotificationKind,
  over: Partial<MessageContext> = {},
): MessageContext {
  const base = sampleContext(kind, DANA, APP, new Date("2026-12-01T12:00:00Z"));
  return {
    ...base,
    recipient: base.recipient.email === DANA.email ? DANA : SAM,
    client: SAM,
    session: base.session ? { ...base.session, startsAt: START, endsAt: END } : null,
    previousSession: base.previousSession
      ? { startsAt: new Date("2026-12-09T15:00:00Z"), endsAt: new Date("2026-12-09T15:30:00Z") }
      : null,
    ...over,
  };
}
