import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { useState } from "preact/hooks";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import type { Rule } from "../../web/src/availability/blocks";
import { DateOverrides } from "../../web/src/availability/date-overrides";
import { todayIn } from "../../web/src/availability/overrides";
import { dana, eventType, health, stubApi } from "./fake-api";

const ZONE = "America/New_York";
/** 1 Dec 2026, midday in New York. */
const NOW = Date.parse("2026-12-01T17:00:00Z");

/** The component with the page's state around it; `changes` records every list it hands up. */
function renderOverrides(initial: Rule[]) {
  const changes: Rule[][] = [];
  function Host() {
    const [dates, setDates] = useState(initial);
    return (
      <DateOverrides
        dates={dates}
        onChange={(next) => {
          changes.push(next);
          setDates(next);
        }}
        timeZone={ZONE}
        now={NOW}
      />
    );
  }
  render(<Host />);
  return { changes, last: () => changes.at(-1) };
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe("date overrides", () => {
  it("says when there are none, then adds special hours with two intervals", () => {
    const { last } = renderOverrides([]);
    expect(screen.getByText(/No date overrides/)).toBeTruthy();
    type("Date", "2026-12-11");
    fireEvent.click(screen.getByLabelText("Special hours"));
    type("From (interval 1)", "14:00");
    type("To (interval 1)", "16:00");
    fireEvent.click(screen.getByRole("button", { name: "Add interval" }));
    type("From (interval 2)", "09:00");
    type("To (interval 2)", "12:00");
    fireEvent.click(screen.getByRole("button", { name: "Add override" }));

    expect(last()).toEqual([
      {
        type: "date",
        date: "2026-12-11",
        intervals: [
          { from: "09:00", to: "12:00" },
          { from: "14:00", to: "16:00" },
        ],
      },
    ]);
    const list = screen.getByRole("list", { name: "Date overrides" });
    expect(list.textContent).toContain("Fri 11 Dec 2026 — 09:00–12:00, 14:00–16:00");
    // The form is ready for the next one.
    expect((screen.getByLabelText("Date") as HTMLInputElement).value).toBe("");
  });

  it("shows what is wrong inline and adds nothing until it is fixed", () => {
    const { changes, last } = renderOverrides([]);
    fireEvent.click(screen.getByRole("button", { name: "Add override" }));
    expect(screen.getByText("Pick a date.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Date"));

    type("Date", "2026-11-30");
    expect(screen.getByText(/That date has passed/)).toBeTruthy();
    type("Date", "2026-12-02");
    fireEvent.click(screen.getByLabelText("Special hours"));
    type("From (interval 1)", "12:00");
    type("To (interval 1)", "10:00");
    expect(screen.getByText("The end must be after the start.")).toBeTruthy();
    expect(screen.getByLabelText("From (interval 1)").getAttribute("aria-invalid")).toBe("true");
    type("To (interval 1)", "13:00");
    fireEvent.click(screen.getByRole("button", { name: "Add interval" }));
    type("From (interval 2)", "12:30");
    expect(screen.getByText("Overlaps 12:00–13:00; intervals must not overlap.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add override" }));
    expect(changes).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Remove interval 2" }));
    fireEvent.click(screen.getByRole("button", { name: "Add override" }));
    expect(last()).toEqual([
      { type: "date", date: "2026-12-02", intervals: [{ from: "12:00", to: "13:00" }] },
    ]);
  });

  it("offers to edit a date that already has an override, and updates it in place", () => {
    const christmas: Rule = { type: "date", date: "2026-12-25", intervals: [] };
    const weekly: Rule = { type: "wday", wday: "monday", intervals: [] };
    const { last } = renderOverrides([christmas, weekly]);
    type("Date", "2026-12-25");
    expect(screen.getByText("Fri 25 Dec 2026 already has an override.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Edit it instead" }));
    expect(screen.getByRole("button", { name: "Update override" })).toBeTruthy();

    fireEvent.click(screen.getByLabelText("Special hours"));
    type("From (interval 1)", "10:00");
    type("To (interval 1)", "11:00");
    fireEvent.click(screen.getByRole("button", { name: "Update override" }));
    expect(last()).toEqual([
      { type: "date", date: "2026-12-25", intervals: [{ from: "10:00", to: "11:00" }] },
      weekly,
    ]);
    expect(screen.getByRole("button", { name: "Add override" })).toBeTruthy();
  });

  it("edits and removes from the list, sorted by date, with past dates muted and not editable", () => {
    const { last } = renderOverrides([
      { type: "date", date: "2026-12-24", intervals: [] },
      { type: "date", date: "2026-11-20", intervals: [] },
      { type: "date", date: "2026-12-11", intervals: [{ from: "09:00", to: "12:00" }] },
    ]);
    const items = within(screen.getByRole("list", { name: "Date overrides" })).getAllByRole(
      "listitem",
    );
    expect(items.map((li) => li.firstElementChild?.textContent)).toEqual([
      "Fri 20 Nov 2026 — unavailable all day (past)",
      "Fri 11 Dec 2026 — 09:00–12:00",
      "Thu 24 Dec 2026 — unavailable all day",
    ]);
    expect(items[0]?.className).toContain("override-past");
    expect(screen.queryByRole("button", { name: "Edit override for Fri 20 Nov 2026" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Edit override for Fri 11 Dec 2026" }));
    expect((screen.getByLabelText("Date") as HTMLInputElement).value).toBe("2026-12-11");
    expect((screen.getByLabelText("To (interval 1)") as HTMLInputElement).value).toBe("12:00");
    expect(document.activeElement).toBe(screen.getByLabelText("Date"));
    fireEvent.click(screen.getByLabelText("Unavailable all day"));
    fireEvent.click(screen.getByRole("button", { name: "Update override" }));
    expect(last()?.find((r) => r.type === "date" && r.date === "2026-12-11")).toEqual({
      type: "date",
      date: "2026-12-11",
      intervals: [],
    });

    fireEvent.click(screen.getByRole("button", { name: "Remove override for Fri 20 Nov 2026" }));
    expect(last()?.map((r) => (r.type === "date" ? r.date : r.wday))).toEqual([
      "2026-12-24",
      "2026-12-11",
    ]);
  });
});

/** The Availability page against a fake API: weekly hours Mon 09:00–17:00 plus `dates`. */
function stubPage(
  dates: Rule[],
  extra: Record<string, Parameters<typeof stubApi>[0][string]> = {},
) {
  const schedule = {
    eventType: { id: "evt_Intro", name: "Intro", durationMinutes: 30 },
    timeZone: ZONE,
    rules: [
      { type: "wday", wday: "monday", intervals: [{ from: "09:00", to: "17:00" }] },
      ...dates,
    ],
  };
  stubApi({
    "/api/health": health(false),
    "/api/me": { body: dana },
    "/api/event-types": {
      body: { items: [eventType("Intro", { beforeBuffer: 0, afterBuffer: 0 })], syncedAt: null },
    },
    "/api/event-types/evt_Intro/schedule": { body: schedule },
    "/api/availability/busy": { body: { items: [] } },
    "/api/availability/templates": { body: { items: [] } },
    "/api/availability": { body: { slots: [], updatedAt: new Date().toISOString() } },
    ...extra,
  });
  window.history.replaceState(null, "", "/availability");
  render(<App />);
}

/** A date `days` from today in the schedule's zone (the page compares with the real today). */
const inDays = (days: number) => todayIn(ZONE, Date.now() + days * 86_400_000);

const putBodies = () =>
  vi
    .mocked(fetch)
    .mock.calls.filter(([, init]) => init?.method === "PUT")
    .map(([, init]) => JSON.parse(String(init?.body)) as { rules: Rule[] });

describe("Availability page: date overrides and the hour range", () => {
  it("saves an override with the weekly hours in one PUT", async () => {
    const date = inDays(20);
    stubPage([]);
    await screen.findByText(/No date overrides/);
    const save = screen.getByRole("button", { name: "Save to Calendly" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    type("Date", date);
    fireEvent.click(screen.getByLabelText("Special hours"));
    type("From (interval 1)", "07:00");
    type("To (interval 1)", "08:30");
    fireEvent.click(screen.getByRole("button", { name: "Add override" }));
    expect(screen.getByText(/Overrides changed/)).toBeTruthy();
    expect(save.disabled).toBe(false);

    fireEvent.click(save);
    await screen.findByText("Saved. Calendly now offers these hours.");
    const [body] = putBodies();
    expect(body?.rules).toContainEqual({
      type: "date",
      date,
      intervals: [{ from: "07:00", to: "08:30" }],
    });
    expect(body?.rules).toContainEqual({
      type: "wday",
      wday: "monday",
      intervals: [{ from: "09:00", to: "17:00" }],
    });
    expect(screen.queryByText(/Overrides changed/)).toBeNull();
  });

  it("brings the previous overrides back when Calendly refuses", async () => {
    const kept: Rule = { type: "date", date: inDays(10), intervals: [] };
    const schedule = {
      eventType: { id: "evt_Intro", name: "Intro", durationMinutes: 30 },
      timeZone: ZONE,
      rules: [kept],
    };
    stubPage([kept], {
      "/api/event-types/evt_Intro/schedule": [
        { body: schedule },
        {
          status: 502,
          body: { error: { code: "upstream_error", message: "Calendly is unavailable." } },
        },
      ],
    });
    const remove = await screen.findByRole("button", { name: /^Remove override for / });
    fireEvent.click(remove);
    expect(screen.getByText(/No date overrides/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save to Calendly" }));
    await screen.findByText("Calendly is unavailable.");
    expect(screen.getByRole("list", { name: "Date overrides" }).textContent).toContain(
      "unavailable all day",
    );
    // Nothing the coach did is lost: one press brings the refused edit back, unsaved.
    fireEvent.click(screen.getByRole("button", { name: "Restore my changes" }));
    expect(screen.getByText(/No date overrides/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Restore my changes" })).toBeNull();
  });

  it("widens the calendar to whole hours around early hours, and keeps the axis in step", async () => {
    stubPage([]);
    await screen.findByText(/No date overrides/);
    const axis = () => [...document.querySelectorAll(".axis-hours span")].map((s) => s.textContent);
    expect(axis()[0]).toBe("06:00");
    expect(axis().at(-1)).toBe("21:00");
    const grid = screen.getByTestId("day-monday");
    expect(grid.style.height).toBe(`${16 * 60 * 0.8}px`);

    type("From", "05:30");
    type("To", "06:30");
    fireEvent.click(screen.getByRole("button", { name: "Add to Monday" }));
    await waitFor(() => expect(axis()[0]).toBe("05:00"));
    expect(grid.style.height).toBe(`${17 * 60 * 0.8}px`);
    const block = screen.getByRole("button", { name: "Monday 05:30–06:30, remove" });
    expect(block.style.top).toBe(`${30 * 0.8}px`);
    // The coach can widen it further, to drag blocks into the early morning.
    fireEvent.click(screen.getByRole("button", { name: "Show earlier hours" }));
    await waitFor(() => expect(axis()[0]).toBe("03:00"));
    expect(block.style.top).toBe(`${150 * 0.8}px`);
    fireEvent.click(screen.getByRole("button", { name: "Show later hours" }));
    await waitFor(() => expect(axis().at(-1)).toBe("23:00"));
    expect(
      (screen.getByRole("button", { name: "Show later hours" }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });
});
