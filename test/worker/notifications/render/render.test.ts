/**
 * The renderer per kind: subject, text and HTML state the time in the recipient's zone and name the
 * zone (DST included), carry the manage link, escape what a coach or client typed, and the .ics
 * parses with ical.js with the METHOD, UID, SEQUENCE, UTC times, ORGANIZER and ATTENDEE the
 * contract asks for.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { KIND_INFO, NOTIFICATION_KINDS } from "../../../../worker/notifications/kinds";
import { renderWithCopy } from "../../../../worker/notifications/render";
import { DEFAULT_TEMPLATES } from "../../../../worker/notifications/render/defaults";
import { unknownVariables } from "../../../../worker/notifications/render/variables";
import { contextFor, SAM } from "./contexts";

const render = (ctx: ReturnType<typeof contextFor>, copy = DEFAULT_TEMPLATES[ctx.kind]) =>
  renderWithCopy(ctx, copy, new Date("2026-12-01T12:00:00Z"));

function parseIcs(content: string) {
  const comp = new ICAL.Component(ICAL.parse(content));
  const event = comp.getFirstSubcomponent("vevent");
  if (!event) throw new Error("no VEVENT");
  return { comp, event };
}

describe("renderMessage, per kind", () => {
  it.each(NOTIFICATION_KINDS)(
    "%s has a subject, a text part, an HTML part and the manage link",
    (kind) => {
      const m = render(contextFor(kind));
      expect(m.subject.length).toBeGreaterThan(5);
      expect(m.subject).not.toMatch(/\{\{|\n/);
      expect(m.text.trim().length).toBeGreaterThan(20);
      expect(m.html).toMatch(/^<!doctype html><html lang="en">/);
      const manage = contextFor(kind).links.manage;
      expect(m.text).toContain(manage);
      expect(m.html).toContain(`href="${manage}"`);
      expect(m.attachments.length).toBe(KIND_INFO[kind].hasSession ? 1 : 0);
    },
  );

  it("states the client's time in the client's zone (Berlin) and the coach's in hers", () => {
    const m = render(contextFor("booking_confirmation"));
    expect(m.text).toContain(
      "When: Thursday, December 10, 2026, 4:00 PM – 4:30 PM GMT+1 (Europe/Berlin)",
    );
    expect(m.text).toContain("10:00 AM – 10:30 AM EST (America/New_York)");
    expect(m.html).toContain("4:00 PM – 4:30 PM GMT+1 (Europe/Berlin)");
    const coach = render(contextFor("coach_new_booking"));
    expect(coach.text).toContain(
      "When: Thursday, December 10, 2026, 10:00 AM – 10:30 AM EST (America/New_York)",
    );
    expect(coach.text).toContain("Sam Rivera's time: Thursday, December 10, 2026, 4:00 PM");
  });

  it("follows DST: the same 10:00 in New York is EDT after the March change, 14:00Z not 15:00Z", () => {
    // US DST starts 8 March 2026; Berlin's starts 29 March, so 10:00 EDT is 15:00 in Berlin then.
    const before = render(
      contextFor("reminder", {
        recipient: SAM,
        session: {
          title: "Intro Call",
          startsAt: new Date("2026-03-06T15:00:00Z"),
          endsAt: new Date("2026-03-06T15:30:00Z"),
        },
      }),
    );
    const after = render(
      contextFor("reminder", {
        session: {
          title: "Intro Call",
          startsAt: new Date("2026-03-09T14:00:00Z"),
          endsAt: new Date("2026-03-09T14:30:00Z"),
        },
      }),
    );
    expect(before.text).toContain("Friday, March 6, 2026, 4:00 PM – 4:30 PM GMT+1 (Europe/Berlin)");
    expect(before.text).toContain("10:00 AM – 10:30 AM EST (America/New_York)");
    expect(after.text).toContain("Monday, March 9, 2026, 3:00 PM – 3:30 PM GMT+1 (Europe/Berlin)");
    expect(after.text).toContain("10:00 AM – 10:30 AM EDT (America/New_York)");
  });

  it("reschedule notice shows the new and the previous time", () => {
    const m = render(contextFor("reschedule_notice"));
    expect(m.text).toContain("New time: Thursday, December 10, 2026, 4:00 PM");
    expect(m.text).toContain("Previous time: Wednesday, December 9, 2026, 4:00 PM");
  });

  it("cancellation notice says who canceled, the reason, and links to rebook; no join link", () => {
    const m = render(
      contextFor("cancellation_notice", { cancellation: { by: "coach", reason: "I'm ill" } }),
    );
    expect(m.text).toContain("Canceled by: Dana Reyes");
    expect(m.text).toContain("Reason: I'm ill");
    expect(m.text).toContain("Book again: http://kairos.test/book/sample");
    expect(m.text).not.toContain("zoom.us");
    const none = render(
      contextFor("cancellation_notice", { cancellation: { by: "client", reason: null } }),
    );
    expect(none.text).toContain("Canceled by: Sam Rivera");
    expect(none.text).toContain("Reason: No reason given");
  });

  it("daily agenda lists each session in the coach's zone; connection mail links to the fix", () => {
    const agenda = render(contextFor("coach_daily_agenda"));
    expect(agenda.text).toMatch(/- \d{1,2}:\d{2} [AP]M EST – .* · Intro Call · Sam Rivera/);
    expect(agenda.text).toContain("Alex Kim");
    const conn = render(contextFor("coach_connection_attention"));
    expect(conn.subject).toBe("Action needed: your Zoom connection");
    expect(conn.text).toContain("Fix the connection: http://kairos.test/settings");
  });

  it("escapes the coach's copy and the client's answers in the HTML", () => {
    const ctx = contextFor("booking_confirmation", {
      client: { ...SAM, name: 'Sam <img src=x onerror="alert(1)">' },
    });
    ctx.recipient = ctx.client ?? SAM;
    const m = render(ctx, {
      subject: "Hi {{client_name}}",
      body: "<script>alert(1)</script> {{client_name}}",
    });
    expect(m.html).not.toContain("<script>");
    expect(m.html).not.toContain("<img");
    expect(m.html).toContain("&lt;script>alert(1)&lt;/script>");
    expect(m.text).toContain("<script>alert(1)</script>");
  });

  it("makes link variables clickable and drops unsafe links", () => {
    const ctx = contextFor("booking_confirmation");
    const m = render(ctx, { subject: "x", body: "Manage: {{manage_link}}" });
    expect(m.html).toContain(`<a href="${ctx.links.manage}"`);
    const bad = contextFor("booking_confirmation");
    if (bad.session) bad.session.joinUrl = "javascript:alert(1)";
    expect(render(bad).html).not.toContain("javascript:");
  });

  it("finds unknown variables, naming each once", () => {
    expect(
      unknownVariables("reminder", "{{ client_name }} {{foo}} {{cancel_reason}} {{foo}}"),
    ).toEqual(["foo", "cancel_reason"]);
    expect(unknownVariables("cancellation_notice", "{{cancel_reason}}")).toEqual([]);
  });
});

describe("the .ics invite", () => {
  it("REQUEST: UID, SEQUENCE, UTC DTSTART/DTEND, ORGANIZER the coach, ATTENDEE the client with RSVP=FALSE", () => {
    const ctx = contextFor("reschedule_notice", {
      calendar: { uid: "ses_1@kairos", sequence: 3, method: "REQUEST" },
    });
    const [att] = render(ctx).attachments;
    expect(att?.contentType).toBe("text/calendar; charset=UTF-8; method=REQUEST");
    const raw = att?.content ?? "";
    expect(raw).toMatch(/\r\n$/);
    for (const line of raw.split("\r\n"))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const { comp, event } = parseIcs(raw);
    expect(comp.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(event.getFirstPropertyValue("uid")).toBe("ses_1@kairos");
    expect(event.getFirstPropertyValue("sequence")).toBe(3);
    expect(event.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(raw).toContain("DTSTART:20261210T150000Z");
    expect(raw).toContain("DTEND:20261210T153000Z");
    const start = event.getFirstPropertyValue("dtstart") as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe("2026-12-10T15:00:00.000Z");
    expect(String(event.getFirstPropertyValue("organizer")).toLowerCase()).toBe(
      "mailto:dana@coach.test",
    );
    const attendee = event.getFirstProperty("attendee");
    expect(String(attendee?.getFirstValue()).toLowerCase()).toBe("mailto:sam@example.net");
    expect(attendee?.getParameter("rsvp")).toBe("FALSE");
    expect(event.getFirstPropertyValue("dtstamp")).toBeTruthy();
    expect(event.getFirstPropertyValue("summary")).toBe("Intro Call with Dana Reyes");
  });

  it("CANCEL: same UID, the given SEQUENCE, STATUS:CANCELLED", () => {
    const ctx = contextFor("cancellation_notice", {
      calendar: { uid: "ses_1@kairos", sequence: 4, method: "CANCEL" },
    });
    const [att] = render(ctx).attachments;
    expect(att?.contentType).toBe("text/calendar; charset=UTF-8; method=CANCEL");
    const { comp, event } = parseIcs(att?.content ?? "");
    expect(comp.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(event.getFirstPropertyValue("uid")).toBe("ses_1@kairos");
    expect(event.getFirstPropertyValue("sequence")).toBe(4);
    expect(event.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(event.getFirstProperty("attendee")).toBeTruthy();
  });

  it("no session or no calendar → no attachment", () => {
    expect(render(contextFor("booking_confirmation", { calendar: null })).attachments).toEqual([]);
  });
});
