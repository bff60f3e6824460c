/**
 * Links from outside data: a join, reschedule or scheduling URL from Calendly becomes an href in the
 * dashboard. Only https (and http for local hosts, the sandbox) is stored; a `javascript:` link is
 * stored as null, and one already stored is never exposed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyCalendlyEvent } from "../../../worker/bookings/apply-calendly-event";
import { CalendlyEventType } from "../../../worker/calendly/schemas";
import { getSession } from "../../../worker/db/sessions";
import { sessionsIcs } from "../../../worker/exports/ics";
import { exportSessions } from "../../../worker/exports/sessions";
import { safeUrl } from "../../../worker/lib/safe-url";
import { invitee, newCoach } from "../helpers/invitee-envelopes";

const EVIL = "javascript:alert(document.cookie)";

describe("safeUrl", () => {
  it.each([
    ["https://zoom.us/j/1?pwd=x", true],
    ["http://localhost:8787/sandbox/zoom/j/1", true],
    ["http://kairos.test/sandbox/calendly/p/dana", true],
    ["http://zoom.us/j/1", false],
    [EVIL, false],
    [" JavaScript:alert(1)", false],
    ["data:text/html,<script>alert(1)</script>", false],
    ["vbscript:msgbox(1)", false],
    ["/relative/path", false],
    ["", false],
    [`https://example.com/${"a".repeat(3000)}`, false],
  ])("%s → allowed: %s", (url, allowed) => {
    expect(safeUrl(url)).toBe(allowed ? url : null);
  });
});

describe("links from a Calendly invitee payload", () => {
  it("stores a javascript: join and reschedule URL as null and exposes none", async () => {
    const scope = await newCoach("links");
    const delivery = invitee({
      event: "invitee.created",
      ev: "ev-links",
      inv: "inv-links",
      updatedAt: "2026-12-01T10:00:00.000000Z",
    });
    const payload = delivery.payload as Record<string, unknown>;
    payload.reschedule_url = EVIL;
    (payload.scheduled_event as Record<string, unknown>).location = {
      type: "zoom",
      status: "pushed",
      join_url: EVIL,
    };
    await applyCalendlyEvent(scope, delivery);

    const row = await env.DB.prepare(
      "select s.id, s.location, i.reschedule_url from sessions s join invitees i on i.session_id = s.id where s.coach_id = ?",
    )
      .bind(scope.coachId)
      .first<{ id: string; location: string; reschedule_url: string | null }>();
    expect(row).not.toBeNull();
    expect(JSON.parse(row?.location ?? "{}").join_url).toBeNull();
    expect(row?.reschedule_url).toBeNull();

    const shown = await getSession(scope, row?.id ?? "");
    expect(shown?.location).toEqual({ type: "zoom" });
    expect(shown?.invitees[0]?.rescheduleUrl).toBeUndefined();
  });

  it("keeps an https join URL", async () => {
    const scope = await newCoach("links-ok");
    const delivery = invitee({
      event: "invitee.created",
      ev: "ev-links-ok",
      inv: "inv-links-ok",
      updatedAt: "2026-12-01T10:00:00.000000Z",
    });
    const ev = (delivery.payload as Record<string, Record<string, unknown>>).scheduled_event;
    if (!ev) throw new Error("no scheduled_event");
    ev.location = { type: "zoom", status: "pushed", join_url: "https://zoom.us/j/42" };
    await applyCalendlyEvent(scope, delivery);
    const [s] = await exportSessions(scope, {});
    if (!s) throw new Error("no session");
    expect((await getSession(scope, s.id))?.location?.joinUrl).toBe("https://zoom.us/j/42");
  });

  it("never exposes a javascript: join URL stored before links were checked", async () => {
    const scope = await newCoach("links-old");
    await applyCalendlyEvent(
      scope,
      invitee({
        event: "invitee.created",
        ev: "ev-links-old",
        inv: "inv-links-old",
        updatedAt: "2026-12-01T10:00:00.000000Z",
      }),
    );
    await env.DB.prepare("update sessions set location = ? where coach_id = ?")
      .bind(JSON.stringify({ type: "zoom", join_url: EVIL }), scope.coachId)
      .run();
    const [s] = await exportSessions(scope, {});
    if (!s) throw new Error("no session");
    expect((await getSession(scope, s.id))?.location).toEqual({ type: "zoom" });
    expect(sessionsIcs([s])).not.toContain("javascript");
  });

  it("drops an event type's javascript: scheduling URL rather than failing the list", () => {
    const parsed = CalendlyEventType.parse({
      uri: "https://api.calendly.test/event_types/et1",
      name: "Intro",
      active: true,
      scheduling_url: EVIL,
      duration: 30,
      kind: "solo",
    });
    expect(parsed.scheduling_url).toBe("");
  });
});
