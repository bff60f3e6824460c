/**
 * iCalendar injection: names and ids from Calendly reach .ics files (the coach's exports and the
 * client's calendar.ics). A "\r\n" in any of them must be escaped (RFC 5545 §3.3.11), never start
 * a line of its own, and every line stays folded at 75 octets.
 */
import { describe, expect, it } from "vitest";
import { sessionsIcs } from "../../../worker/exports/ics";
import type { ExportSession } from "../../../worker/exports/sessions";
import { icsFor } from "../../../worker/public-booking/calendar-links";

const EVIL = "Intro\r\nLOCATION:INJECTED\r\nATTENDEE:mailto:x@evil.test;, \\ done";

/** The property lines of an .ics text after unfolding (RFC 5545 §3.1). */
const unfolded = (ics: string) => ics.replace(/\r\n[ \t]/g, "").split("\r\n");

function expectNoInjection(ics: string) {
  for (const line of ics.split("\r\n"))
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  const lines = unfolded(ics);
  expect(lines.filter((l) => l.startsWith("LOCATION:"))).toEqual([]);
  expect(lines.filter((l) => l.startsWith("ATTENDEE"))).toEqual([]);
  expect(lines.join("\n")).toContain(
    "Intro\\nLOCATION:INJECTED\\nATTENDEE:mailto:x@evil.test\\;\\, \\\\ done",
  );
}

const session = (name: string): ExportSession => {
  const at = new Date("2026-12-01T15:00:00Z");
  return {
    id: "ses_1",
    coachId: "coa_1",
    calendlyUri: "https://api.calendly.com/scheduled_events/E1",
    eventTypeUri: null,
    name,
    status: "active",
    startsAt: at,
    endsAt: new Date(at.getTime() + 3_600_000),
    location: null,
    cancelReason: null,
    canceledAt: null,
    version: 1,
    calendlyUpdatedAt: null,
    lastReconciledAt: null,
    bookedAt: at,
    createdAt: at,
    updatedAt: at,
    invitees: [],
  } as ExportSession;
};

describe("iCalendar text values", () => {
  it("escapes a session name used as the event summary and as the calendar's name", () => {
    const ics = sessionsIcs([session(EVIL)], EVIL);
    expectNoInjection(ics);
    const lines = unfolded(ics);
    expect(lines.find((l) => l.startsWith("X-WR-CALNAME:"))).toMatch(
      /^X-WR-CALNAME:Intro\\nLOCATION/,
    );
    expect(lines.find((l) => l.startsWith("SUMMARY:"))).toMatch(/^SUMMARY:Intro\\nLOCATION/);
  });

  it("escapes the title and uid of a client's calendar.ics", () => {
    const ics = icsFor({
      uid: "bki_1@kairos\r\nLOCATION:INJECTED",
      title: EVIL,
      start: new Date("2026-12-01T15:00:00Z"),
      end: new Date("2026-12-01T16:00:00Z"),
      description: EVIL,
      url: "https://kairos.test/manage/tok",
      organizer: { name: "Dana" },
    });
    expectNoInjection(ics);
  });
});
