import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateAttendance } from "../../../../worker/zoom/attendance/verdicts";
import { END, HOST_ID, input, MIN, play, SAM, START } from "./played";

const sam = (a: ReturnType<typeof evaluateAttendance>) => {
  const row = a.invitees[0];
  if (!row) throw new Error("no invitee row");
  return row;
};

describe("evaluateAttendance: the fake Zoom's scenarios", () => {
  it("attended: the client is attended, with minutes per person", () => {
    const a = evaluateAttendance(input(play("attended").webhooks));
    expect(a.final).toBe(true);
    expect(sam(a)).toMatchObject({
      verdict: "attended",
      matchedBy: "email",
      firstJoinAt: START + MIN,
      minutes: 58,
      waited: false,
    });
    expect(a.host).toMatchObject({ present: true, firstJoinAt: START - 2 * MIN, minutes: 62 });
    expect(a.host.noShow).toBe(false);
  });

  it("attended through the waiting room: arrival counts from the waiting room, time from the join", () => {
    const a = evaluateAttendance(input(play("attended", { waiting_room: true }).webhooks));
    expect(sam(a)).toMatchObject({
      verdict: "attended",
      firstJoinAt: START + MIN,
      minutes: 57,
      waited: true,
    });
  });

  it("client never came: a proposed no-show once the meeting ended", () => {
    const { webhooks } = play("client_no_show");
    const a = evaluateAttendance(input(webhooks, { now: START + 20 * MIN }));
    expect(a.final).toBe(true);
    expect(sam(a)).toMatchObject({ verdict: "no_show_proposed", minutes: 0, firstJoinAt: null });
    expect(sam(a).matchedBy).toBe("none");
    expect(a.host.present).toBe(true);
  });

  it("client never came while the meeting runs: unknown, not yet a no-show", () => {
    const { webhooks } = play("client_no_show");
    const running = webhooks.filter((e) => e.at <= START + 5 * MIN);
    const a = evaluateAttendance(input(running, { now: START + 5 * MIN }));
    expect(a.final).toBe(false);
    expect(sam(a).verdict).toBe("unknown");
  });

  it("meeting.ended lost: the verdict waits for the scheduled end + grace, then proposes", () => {
    const webhooks = play("client_no_show").webhooks.filter((e) => e.kind !== "meeting_ended");
    expect(evaluateAttendance(input(webhooks, { now: START + 20 * MIN })).final).toBe(false);
    expect(sam(evaluateAttendance(input(webhooks, { now: END + 14 * MIN }))).verdict).toBe(
      "unknown",
    );
    const after = evaluateAttendance(input(webhooks, { now: END + 15 * MIN }));
    expect(after.final).toBe(true);
    expect(sam(after).verdict).toBe("no_show_proposed");
  });

  it("nobody came: unknown, and no host no-show (there is no evidence at all)", () => {
    const a = evaluateAttendance(input(play("nobody_came").webhooks));
    expect(a.final).toBe(true);
    expect(sam(a).verdict).toBe("unknown");
    expect(a.host).toMatchObject({ present: false, noShow: false, minutes: 0 });
  });

  it("waited in the waiting room and was never admitted: never a no-show", () => {
    const a = evaluateAttendance(
      input(play("waiting_room_never_admitted", { waiting_room: true }).webhooks),
    );
    expect(sam(a)).toMatchObject({
      verdict: "attended",
      waited: true,
      minutes: 0,
      firstJoinAt: START + MIN,
    });
  });

  it("waited for a late host (no join before host): attended on time, the host late", () => {
    const a = evaluateAttendance(input(play("client_waited_for_late_host").webhooks));
    expect(sam(a)).toMatchObject({ verdict: "attended", waited: true, firstJoinAt: START - MIN });
    expect(a.host).toMatchObject({ present: true, late: true, noShow: false });
    expect(a.host.firstJoinAt).toBe(START + 12 * MIN);
  });

  it("waited for a late host (join before host): the client started it, the host came late", () => {
    const a = evaluateAttendance(
      input(play("client_waited_for_late_host", { join_before_host: true }).webhooks),
    );
    expect(sam(a)).toMatchObject({ verdict: "attended", minutes: 60 });
    expect(a.host).toMatchObject({ present: true, late: true, firstJoinAt: START + 12 * MIN });
  });

  it("coach never started (no join before host): a host no-show, the client waited", () => {
    const a = evaluateAttendance(input(play("coach_no_show").webhooks));
    expect(a.host).toMatchObject({ present: false, noShow: true });
    expect(sam(a)).toMatchObject({ verdict: "attended", waited: true, minutes: 0 });
  });

  it("coach never started (join before host): meeting.started from the client is not the host", () => {
    const a = evaluateAttendance(input(play("coach_no_show", { join_before_host: true }).webhooks));
    expect(a.host).toMatchObject({ present: false, noShow: true });
    expect(sam(a)).toMatchObject({ verdict: "attended", minutes: 20 });
  });

  it("drop and re-join: never a no-show, the minutes of both joins summed", () => {
    const a = evaluateAttendance(input(play("drop_and_rejoin").webhooks));
    expect(sam(a)).toMatchObject({ verdict: "attended", minutes: 9 + 48 });
    const wr = evaluateAttendance(input(play("drop_and_rejoin", { waiting_room: true }).webhooks));
    expect(sam(wr)).toMatchObject({ verdict: "attended", minutes: 8 + 47 });
  });

  it("a guest with no email is matched by name", () => {
    const a = evaluateAttendance(
      input(play("guest_no_email", {}, { name: "  sam   RIVERA ", email: "" }).webhooks),
    );
    expect(sam(a)).toMatchObject({ verdict: "attended", matchedBy: "name", minutes: 58 });
    expect(a.guests).toEqual([]);
  });

  it("someone under another name is an unknown guest: listed, and the client is not proposed", () => {
    const a = evaluateAttendance(
      input(play("attended", {}, { name: "S. R.", email: "other@mail.test" }).webhooks),
    );
    expect(sam(a)).toMatchObject({ verdict: "unknown", matchedBy: "none" });
    expect(a.guests).toEqual([
      { name: "S. R.", email: "other@mail.test", firstJoinAt: START + MIN, minutes: 58 },
    ]);
  });

  it("late: the first arrival after start + lateMinutes", () => {
    const shifted = play("attended").webhooks.map((e) =>
      e.who?.email === SAM.email ? { ...e, at: e.at + 14 * MIN } : e,
    );
    expect(sam(evaluateAttendance(input(shifted))).verdict).toBe("late");
    const rules = { graceMinutes: 15, lateMinutes: 20 };
    expect(sam(evaluateAttendance(input(shifted, { rules }))).verdict).toBe("attended");
  });
});

describe("evaluateAttendance: the participants report", () => {
  it("repairs lost webhooks: every event lost, the report still says attended", () => {
    const p = play("drop_and_rejoin");
    const instances = [{ uuid: p.uuid, startedAt: p.startedAt, endedAt: p.endedAt }];
    const a = evaluateAttendance(input(p.report, { instances, now: END + MIN }));
    expect(a.final).toBe(true);
    expect(sam(a)).toMatchObject({ verdict: "attended", minutes: 57 });
    expect(a.host.present).toBe(true);
  });

  it("repairs lost webhooks: the client never came, the host's row makes it a proposed no-show", () => {
    const p = play("client_no_show");
    const instances = [{ uuid: p.uuid, startedAt: p.startedAt, endedAt: p.endedAt }];
    const a = evaluateAttendance(input(p.report, { instances, now: START + 30 * MIN }));
    expect(sam(a).verdict).toBe("no_show_proposed");
  });

  it("the report's waiting-room row is an arrival, never a no-show", () => {
    const p = play("waiting_room_never_admitted", { waiting_room: true });
    const a = evaluateAttendance(input(p.report));
    expect(sam(a)).toMatchObject({ verdict: "attended", waited: true, minutes: 0 });
  });

  it("webhooks and report together count each minute once, the report winning", () => {
    const p = play("attended");
    const lostLeave = p.webhooks.filter((e) => !(e.kind === "left" && e.who?.email === SAM.email));
    // Without the report the open join runs to meeting.ended; the report has the real leave.
    expect(sam(evaluateAttendance(input(lostLeave))).minutes).toBe(59);
    expect(sam(evaluateAttendance(input([...lostLeave, ...p.report]))).minutes).toBe(58);
  });
});

describe("evaluateAttendance: what the coach and Calendly decided", () => {
  const noShow = play("client_no_show").webhooks;

  it("confirmed or marked at Calendly → no_show; dismissed → unknown", () => {
    const with_ = (over: Partial<typeof SAM>) =>
      sam(evaluateAttendance(input(noShow, { invitees: [{ ...SAM, ...over }] }))).verdict;
    expect(with_({ decision: "confirmed" })).toBe("no_show");
    expect(with_({ noShowAtCalendly: true })).toBe("no_show");
    expect(with_({ decision: "dismissed" })).toBe("unknown");
  });

  it("a canceled session or invitee is never a no-show", () => {
    const canceled = { startsAt: START, endsAt: END, canceled: true };
    expect(sam(evaluateAttendance(input(noShow, { session: canceled }))).verdict).toBe("unknown");
    const inv = [{ ...SAM, canceled: true }];
    expect(sam(evaluateAttendance(input(noShow, { invitees: inv }))).verdict).toBe("unknown");
    const cameAnyway = evaluateAttendance(input(play("attended").webhooks, { session: canceled }));
    expect(sam(cameAnyway).verdict).toBe("attended");
    expect(cameAnyway.host.noShow).toBe(false);
  });

  it("without the host's Zoom id, a host join is an unknown guest, never the client", () => {
    const a = evaluateAttendance(input(noShow, { hostZoomUserId: null }));
    expect(sam(a).verdict).toBe("unknown");
    expect(a.guests.map((g) => g.email)).toEqual(["dana@coach.test"]);
    expect(HOST_ID).toBeTruthy();
  });
});

describe("evaluateAttendance: deliveries repeat and come in any order", () => {
  const scenarios = [
    ["attended", {}],
    ["attended", { waiting_room: true }],
    ["client_no_show", {}],
    ["nobody_came", {}],
    ["waiting_room_never_admitted", { waiting_room: true }],
    ["client_waited_for_late_host", {}],
    ["client_waited_for_late_host", { join_before_host: true }],
    ["coach_no_show", {}],
    ["coach_no_show", { join_before_host: true }],
    ["drop_and_rejoin", {}],
  ] as const;

  it("shuffled and duplicated timelines give the same attendance", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scenarios),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        ([scenario, settings], withReport, seeds) => {
          const p = play(scenario, settings);
          const entries = withReport ? [...p.webhooks, ...p.report] : p.webhooks;
          const expected = evaluateAttendance(input(entries));
          const dup = [...entries, ...entries.filter((_, i) => i % 2 === 0)];
          const it = seeds[Symbol.iterator]();
          const shuffled = dup
            .map((e) => ({ e, k: it.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          expect(evaluateAttendance(input(shuffled))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
