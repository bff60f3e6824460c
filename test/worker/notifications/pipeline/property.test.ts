/**
 * Property: random lives of one booking — reschedules, a cancel, no-show marks, delays with cron
 * ticks between them, deliveries duplicated and events handed to the reactor twice and reversed —
 * around the DST changes of New York and Berlin. Whatever happens: every reminder that goes out is
 * for the session's time at that moment (and its .ics says so), none goes out for a canceled
 * session, none goes out twice, and each was due exactly its offset before the start (absolute
 * time: 24 h is 24 real hours across a DST change).
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WebhookEnvelope } from "../../../../worker/calendly/webhook-envelope";
import { invitee, move, newCoach } from "../../helpers/invitee-envelopes";
import { pipeline } from "./harness";

const MIN = 60_000;
const DST = [
  { zone: "America/New_York", at: Date.parse("2027-03-14T07:00:00Z") },
  { zone: "America/New_York", at: Date.parse("2027-11-07T06:00:00Z") },
  { zone: "Europe/Berlin", at: Date.parse("2027-03-28T01:00:00Z") },
  { zone: "Europe/Berlin", at: Date.parse("2027-10-31T01:00:00Z") },
];
const calendly = (ms: number) => new Date(ms).toISOString().replace(".000Z", ".000000Z");

type Op =
  | { t: "reschedule"; slot: number }
  | { t: "cancel" }
  | { t: "noshow" }
  | { t: "delay"; minutes: number }
  | { t: "dup" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant("reschedule" as const), slot: fc.integer({ min: -72, max: 72 }) }),
  fc.constant({ t: "cancel" as const }),
  fc.constant({ t: "noshow" as const }),
  fc.record({ t: fc.constant("delay" as const), minutes: fc.integer({ min: 1, max: 1800 }) }),
  fc.constant({ t: "dup" as const }),
);

type SentReminder = { id: string; sessionId: string; offset: number; start: number };

async function sentReminders(
  coachId: string,
): Promise<(SentReminder & { due: number; ics: string })[]> {
  const rows = await env.DB.prepare(
    "select id, session_id as sessionId, offset_minutes as offset, planned_start_at as start, due_at as due, message from notification_outbox where coach_id = ? and kind = 'reminder' and status = 'sent'",
  )
    .bind(coachId)
    .all<SentReminder & { due: number; message: string }>();
  return rows.results.map((r) => {
    const m = JSON.parse(r.message) as { attachments: { content: string }[] };
    return { ...r, ics: m.attachments.map((a) => a.content).join("\n") };
  });
}

const icsStart = (ics: string) => {
  const m = /DTSTART(?:;[^:]*)?:(\d{8}T\d{6}Z)/.exec(ics);
  if (!m?.[1]) return null;
  const s = m[1];
  return Date.parse(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );
};

describe("notification pipeline (property)", () => {
  it("never sends a stale, canceled or repeated reminder", async () => {
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: DST.length - 1 }),
        fc.integer({ min: -48, max: 48 }),
        fc.array(op, { maxLength: 7 }),
        async (dstIndex, firstSlot, ops) => {
          const dst = DST[dstIndex] as (typeof DST)[number];
          const slotTime = (slot: number) => dst.at + slot * 30 * MIN;
          const scope = await newCoach("ntfp");
          const tag = scope.coachId;
          const p = pipeline(scope);
          let now = dst.at - 3 * 86_400_000;
          let start = slotTime(firstSlot);
          let ev = 0;
          let previousUri: string | undefined;
          let canceled = false;
          let stamp = now;
          const seen = new Map<string, { start: number; canceled: boolean }>();
          const zoned = (e: WebhookEnvelope) => {
            (e.payload as Record<string, unknown>).timezone = dst.zone;
            return e;
          };

          /** After every step: reminders sent since the last look match the state of that moment. */
          async function check() {
            for (const r of await sentReminders(scope.coachId)) {
              if (seen.has(r.id)) continue;
              seen.set(r.id, { start, canceled });
              expect(canceled).toBe(false);
              expect(r.start).toBe(start);
              expect(icsStart(r.ics)).toBe(start);
              expect(r.due).toBe(r.start - r.offset * MIN);
              expect(now).toBeGreaterThanOrEqual(r.due);
              expect(now).toBeLessThan(r.start);
            }
          }
          async function deliver(envelopes: WebhookEnvelope[], twice: boolean) {
            for (const e of envelopes) {
              await p.apply(zoned(e));
              if (twice) await p.apply(zoned(e));
            }
            await p.react({ now: new Date(now), order: (e) => [...e].reverse() });
            if (twice) await p.react({ now: new Date(now), replayAll: true });
            await p.flush(new Date(now));
            await check();
          }

          await deliver(
            [
              invitee({
                event: "invitee.created",
                ev: `p${ev}-${tag}`,
                inv: "inv",
                updatedAt: calendly(stamp),
                start: calendly(start),
              }),
            ],
            false,
          );
          for (let i = 0; i < ops.length; i++) {
            const o = ops[i] as Op;
            const twice = ops[i + 1]?.t === "dup";
            stamp += MIN;
            if (o.t === "delay") {
              now += o.minutes * MIN;
              await p.tick(new Date(now));
              await check();
            } else if (o.t === "reschedule" && !canceled) {
              const to = slotTime(o.slot);
              const m = move({
                fromEv: `p${ev}-${tag}`,
                toEv: `p${ev + 1}-${tag}`,
                at: calendly(stamp),
                fromStart: calendly(start),
                toStart: calendly(to),
                fromOld: previousUri,
              });
              previousUri = m.from;
              ev++;
              start = to;
              // Calendly sends the halves in either order.
              await deliver(
                o.slot % 2 ? [m.createdHalf, m.canceledHalf] : [m.canceledHalf, m.createdHalf],
                twice,
              );
            } else if (o.t === "cancel" && !canceled) {
              canceled = true;
              await deliver(
                [
                  invitee({
                    event: "invitee.canceled",
                    ev: `p${ev}-${tag}`,
                    inv: "inv",
                    status: "canceled",
                    updatedAt: calendly(stamp),
                    start: calendly(start),
                    oldInvitee: previousUri,
                  }),
                ],
                twice,
              );
            } else if (o.t === "noshow" && !canceled) {
              await deliver(
                [
                  invitee({
                    event: "invitee_no_show.created",
                    ev: `p${ev}-${tag}`,
                    inv: "inv",
                    updatedAt: calendly(stamp),
                    happenedAt: calendly(stamp),
                    start: calendly(start),
                    oldInvitee: previousUri,
                    noShow: `https://api.calendly.test/invitee_no_shows/${tag}-${i}`,
                  }),
                ],
                twice,
              );
            }
          }
          // The cron keeps running past every reminder still waiting: nothing stale may go out.
          for (;;) {
            const next = await env.DB.prepare(
              "select min(due_at) as due from notification_outbox where coach_id = ? and status = 'planned'",
            )
              .bind(scope.coachId)
              .first<{ due: number | null }>();
            if (!next?.due) break;
            now = Math.max(now, next.due) + 2 * MIN;
            await p.tick(new Date(now));
            await check();
          }
          await check();
          const sent = await sentReminders(scope.coachId);
          const keys = sent.map((r) => `${r.sessionId}|${r.offset}`);
          expect(new Set(keys).size).toBe(keys.length);
          total += sent.length;
          if (canceled) {
            expect(sent.every((r) => (seen.get(r.id)?.canceled ?? true) === false)).toBe(true);
          }
        },
      ),
      { numRuns: 30 },
    );
    // The property is not vacuous: across the runs reminders did go out.
    expect(total).toBeGreaterThan(0);
  }, 240_000);
});
