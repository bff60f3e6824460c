/** The coach sees why an address gets nothing: GET /api/clients/{email}/delivery. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { ensurePreference, suppress } from "../../../../worker/notifications/preferences/store";
import { sandboxSignIn, signInSettled } from "../../helpers/sandbox-sign-in";
import { api } from "../../helpers/sign-in";

describe("GET /api/clients/{email}/delivery", () => {
  it("shows the suppression and the client's choices for the coach's own clients only", async () => {
    const { jar } = await sandboxSignIn("lee@coach.test");
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind("lee@coach.test")
      .first<{ id: string }>();
    if (!coach) throw new Error("no coach");
    await signInSettled(coach.id);
    const db = createDb(env.DB);
    await ensurePreference({ db, coachId: coach.id }, "Bounced@Client.test");
    await suppress(db, {
      email: "bounced@client.test",
      reason: "bounce",
      source: "resend",
      detail: "550 5.1.1 User unknown",
    });

    const res = await api(
      jar,
      `/api/clients/${encodeURIComponent("Bounced@Client.test")}/delivery`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      email: "bounced@client.test",
      emailSuppression: { reason: "bounce", source: "resend", detail: "550 5.1.1 User unknown" },
      preferences: { reminders: true, followUps: true, smsReminders: false },
    });

    // Suppressed, but never this coach's client: not shown.
    await suppress(db, { email: "stranger@client.test", reason: "complaint", source: "resend" });
    const other = await api(
      jar,
      `/api/clients/${encodeURIComponent("stranger@client.test")}/delivery`,
    );
    expect(other.status).toBe(404);

    const anonymous = await exports.default.fetch(
      "http://kairos.test/api/clients/x%40y.test/delivery",
    );
    expect(anonymous.status).toBe(401);
  });
});
