/**
 * Bounces and complaints → the suppression list. Resend's webhook is verified (Svix) on the raw
 * body: a valid signature suppresses the address, a forged one is 401 and changes nothing.
 * Cloudflare's events come on the email-events queue (the contract's sample events).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { deliveryBlock } from "../../../../worker/notifications/preferences";
import { handleCloudflareEmailEvents } from "../../../../worker/notifications/preferences/provider-events";
import { suppressionOf } from "../../../../worker/notifications/preferences/store";
import { svixSignature, verifySvix } from "../../../../worker/notifications/preferences/svix";
import cloudflareEvents from "../../../fixtures/email/cloudflare-email-events.json";
import resend from "../../../fixtures/email/resend.json";
import { call, RESEND_SECRET, seedCoach, testEnv } from "./helpers";

const db = () => createDb(env.DB);

function bounceBody(to: string, type = "email.bounced", bounceType = "Permanent") {
  return JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: `em_${to}`,
      from: "Kairos <notifications@localhost>",
      to: [to],
      subject: "Reminder",
      ...(type === "email.bounced"
        ? { bounce: { message: "Mailbox does not exist", subType: "General", type: bounceType } }
        : {}),
    },
  });
}

async function post(body: string, opts: { secret?: string; ts?: number; signature?: string } = {}) {
  const id = "msg_test_1";
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const sig =
    opts.signature ?? `v1,${await svixSignature(opts.secret ?? RESEND_SECRET, id, ts, body)}`;
  return call(
    new Request("http://kairos.test/webhooks/email/resend", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "svix-id": id,
        "svix-timestamp": ts,
        "svix-signature": sig,
      },
      body,
    }),
  );
}

describe("Svix verification", () => {
  it("accepts the contract's signed sample at its own time, and not 10 minutes later", async () => {
    const { headers, raw_body } = resend.webhook.request;
    const at = Number(headers["svix-timestamp"]) * 1000;
    const h = {
      id: headers["svix-id"],
      timestamp: headers["svix-timestamp"],
      signature: headers["svix-signature"],
    };
    expect(await verifySvix(resend.webhook.secret, h, raw_body, at)).toBe(true);
    expect(await verifySvix(resend.webhook.secret, h, raw_body, at + 600_000)).toBe(false);
    expect(await verifySvix(resend.webhook.secret, h, `${raw_body} `, at)).toBe(false);
    expect(await verifySvix(RESEND_SECRET, h, raw_body, at)).toBe(false);
    expect(await verifySvix(undefined, h, raw_body, at)).toBe(false);
    // Several signatures (a rotation): any one valid entry is enough.
    const rotated = { ...h, signature: `v1,AAAAbm90LWl0 ${h.signature} v2,zzz` };
    expect(await verifySvix(resend.webhook.secret, rotated, raw_body, at)).toBe(true);
  });
});

describe("POST /webhooks/email/resend", () => {
  it("suppresses a permanently bounced address; then nothing is sent to it, transactional included", async () => {
    const scope = await seedCoach("coa_bounce");
    const res = await post(bounceBody("Gone@Example.org"));
    expect(res.status).toBe(204);
    const row = await suppressionOf(db(), "gone@example.org");
    expect(row).toMatchObject({
      reason: "bounce",
      source: "resend",
      detail: "Mailbox does not exist",
    });
    for (const category of ["transactional", "reminders"] as const)
      expect(
        await deliveryBlock(scope, { email: "gone@example.org", category, channel: "email" }),
      ).toEqual({ reason: "suppressed_bounce" });
    // Redelivered: the same one row.
    expect((await post(bounceBody("gone@example.org"))).status).toBe(204);
  });

  it("suppresses a complaint, and a later bounce does not downgrade it", async () => {
    const scope = await seedCoach("coa_complaint");
    expect((await post(bounceBody("angry@example.org", "email.complained"))).status).toBe(204);
    expect((await post(bounceBody("angry@example.org"))).status).toBe(204);
    expect(
      await deliveryBlock(scope, {
        email: "angry@example.org",
        category: "follow_ups",
        channel: "email",
      }),
    ).toEqual({ reason: "suppressed_complaint" });
  });

  it("ignores soft bounces and other events", async () => {
    expect((await post(bounceBody("busy@example.org", "email.bounced", "Transient"))).status).toBe(
      204,
    );
    expect((await post(bounceBody("fine@example.org", "email.delivered"))).status).toBe(204);
    expect(await suppressionOf(db(), "busy@example.org")).toBeNull();
    expect(await suppressionOf(db(), "fine@example.org")).toBeNull();
  });

  it("is 401 and changes nothing when forged, stale, unsigned or the secret is unset", async () => {
    const body = bounceBody("victim@example.org");
    const forged = await post(body, { secret: "whsec_c29tZWJvZHktZWxzZXMtc2VjcmV0" });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: "unauthenticated" } });
    expect((await post(body, { ts: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect((await post(body, { signature: "" })).status).toBe(401);
    const unset = await call(
      new Request("http://kairos.test/webhooks/email/resend", { method: "POST", body }),
      testEnv({ RESEND_WEBHOOK_SECRET: "" }),
    );
    expect(unset.status).toBe(401);
    expect(await suppressionOf(db(), "victim@example.org")).toBeNull();
  });

  it("refuses a body past the webhook limit with 413 before verifying it", async () => {
    const res = await post("x".repeat(200 * 1024), { signature: "v1,x" });
    expect(res.status).toBe(413);
  });

  it("is 400 for a validly signed body that is not a Resend event", async () => {
    expect((await post("not json")).status).toBe(400);
  });
});

describe("Cloudflare Email Service events (email-events queue)", () => {
  it("suppresses hard bounces, suppressed rejections and complaints; not deliveries or deferrals", async () => {
    const applied = await handleCloudflareEmailEvents(db(), [
      ...cloudflareEvents.events,
      { not: "an event" },
    ]);
    expect(applied).toBe(3);
    expect(await suppressionOf(db(), "nobody@example.org")).toMatchObject({
      reason: "bounce",
      source: "cloudflare",
    });
    expect(await suppressionOf(db(), "sam@example.net")).toMatchObject({ reason: "complaint" });
    expect(await suppressionOf(db(), "pat@example.org")).toBeNull();
  });
});
