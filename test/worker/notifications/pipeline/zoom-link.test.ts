/**
 * Kairos creates the Zoom meeting, so Calendly's location has no join link: the client's messages
 * take it (and the passcode) from the chain's zoom_meetings row once it is ready, never before.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { invitee, newCoach } from "../../helpers/invitee-envelopes";
import { mailbox, outboxRows, pipeline } from "./harness";

const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function book(tag: string, status: "ready" | "creating") {
  const scope = await newCoach(tag);
  const p = pipeline(scope);
  await p.apply(
    invitee({
      event: "invitee.created",
      ev: `a-${tag}`,
      inv: "inv",
      updatedAt: at(0),
      start: at(4),
    }),
  );
  await p.react();
  const sessionId = (await outboxRows(scope.coachId)).find(
    (r) => r.kind === "booking_confirmation",
  )?.sessionId;
  await env.DB.prepare(
    "insert into zoom_meetings (id, coach_id, meeting_key, session_id, zoom_meeting_id, join_url, passcode, status) values (?, ?, ?, ?, '8101', ?, 'kx72Pq', ?)",
  )
    .bind(
      `zmt_${tag}`,
      scope.coachId,
      `session:${sessionId}`,
      sessionId,
      `https://zoom.us/j/8101?pwd=${tag}`,
      status,
    )
    .run();
  await p.flush();
  const mail = (await mailbox(scope.coachId)).find((m) => m.kind === "booking_confirmation");
  if (!mail) throw new Error("no confirmation");
  return { mail, url: `https://zoom.us/j/8101?pwd=${tag}` };
}

describe("the Zoom join link in client messages", () => {
  it("comes from the chain's ready meeting, with its passcode", async () => {
    const { mail, url } = await book("zlr", "ready");
    expect(mail.text).toContain(url);
    expect(mail.text).toContain("kx72Pq");
  });

  it("is left out while the meeting is still being created", async () => {
    const { mail, url } = await book("zlc", "creating");
    expect(mail.text).not.toContain(url);
  });
});
