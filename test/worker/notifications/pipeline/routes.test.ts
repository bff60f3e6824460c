/**
 * The coach's side: reminder offsets (GET/PUT /api/notification-settings), the communication
 * history of a session and a client, and resending one message (through the real queue consumer).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { dana, fakeCalendly } from "../../helpers/fake-calendly";
import { invitee } from "../../helpers/invitee-envelopes";
import { api, signInWithCode } from "../../helpers/sign-in";
import { server } from "../../setup";
import { mailbox, pipeline } from "./harness";

async function danaSession() {
  server.use(...fakeCalendly([dana]));
  const { jar } = await signInWithCode(`code-${dana.token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(dana.email)
    .first<{ id: string }>();
  return { jar, scope: { db: createDb(env.DB), coachId: coach?.id ?? "" } };
}

const put = (offsets: unknown) => ({
  method: "PUT",
  headers: { "content-type": "application/json", origin: "http://kairos.test" },
  body: JSON.stringify({ reminderOffsetsMinutes: offsets }),
});

describe("notification settings", () => {
  it("defaults to 24 h and 1 h, saves new offsets and rejects bad ones with a 400", async () => {
    const { jar } = await danaSession();
    const first = await api(jar, "/api/notification-settings");
    expect(await first.json()).toEqual({ reminderOffsetsMinutes: [1440, 60] });
    const saved = await api(jar, "/api/notification-settings", put([30, 120, 30]));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ reminderOffsetsMinutes: [120, 30] });
    expect(await (await api(jar, "/api/notification-settings")).json()).toEqual({
      reminderOffsetsMinutes: [120, 30],
    });
    const bad = await api(jar, "/api/notification-settings", put([1]));
    expect(bad.status).toBe(400);
    await api(jar, "/api/notification-settings", put([1440, 60]));
  });
});

describe("communication history", () => {
  it("lists a session's and a client's messages with status, and resends one", async () => {
    const { jar, scope } = await danaSession();
    const p = pipeline(scope);
    await p.apply(
      invitee({
        event: "invitee.created",
        ev: `hist-${Date.now()}`,
        inv: "inv",
        updatedAt: "2027-06-01T10:00:00.000000Z",
        start: "2027-06-10T15:00:00.000000Z",
      }),
    );
    await p.react();
    await p.flush();
    const session = await env.DB.prepare(
      "select session_id as id from notification_outbox where coach_id = ? and kind = 'booking_confirmation' order by created_at desc",
    )
      .bind(scope.coachId)
      .first<{ id: string }>();
    const res = await api(jar, `/api/messages?sessionId=${session?.id}`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { id: string; kind: string; status: string; subject: string | null }[];
    };
    expect(items.map((i) => [i.kind, i.status]).sort()).toEqual([
      ["booking_confirmation", "sent"],
      ["coach_new_booking", "sent"],
      ["reminder", "planned"],
      ["reminder", "planned"],
    ]);
    const client = (await (await api(jar, "/api/messages?client=SAM%40client.test")).json()) as {
      items: { id: string }[];
    };
    const confirmation = items.find((i) => i.kind === "booking_confirmation");
    expect(client.items.map((i) => i.id)).toContain(confirmation?.id);
    expect((await api(jar, "/api/messages")).status).toBe(400);

    const again = await api(jar, `/api/messages/${confirmation?.id}/resend`, {
      method: "POST",
      headers: { origin: "http://kairos.test" },
    });
    expect(again.status).toBe(202);
    // The real `notifications` consumer sends it.
    await vi.waitFor(
      async () => {
        const copies = (await mailbox(scope.coachId)).filter(
          (m) => m.subject === confirmation?.subject,
        );
        expect(copies).toHaveLength(2);
      },
      { timeout: 10_000, interval: 200 },
    );
    const planned = items.find((i) => i.status === "planned");
    const never = await api(jar, `/api/messages/${planned?.id}/resend`, {
      method: "POST",
      headers: { origin: "http://kairos.test" },
    });
    expect(never.status).toBe(409);
    expect(
      (
        await api(jar, "/api/messages/ntf_nope/resend", {
          method: "POST",
          headers: { origin: "http://kairos.test" },
        })
      ).status,
    ).toBe(404);
  });
});
