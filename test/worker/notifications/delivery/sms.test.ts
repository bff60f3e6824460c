/**
 * SMS through Twilio: the Messages API send (MSW stands in for api.twilio.com with the contract's
 * answer), X-Twilio-Signature on status callbacks and inbound texts, and STOP / START.
 */
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { deliveryBlock } from "../../../../worker/notifications/preferences";
import {
  ensurePreference,
  updatePreference,
} from "../../../../worker/notifications/preferences/store";
import {
  twilioSignature,
  verifyTwilioSignature,
} from "../../../../worker/notifications/preferences/twilio-signature";
import { isRetryable } from "../../../../worker/notifications/transport";
import { twilioSms } from "../../../../worker/notifications/transports/twilio";
import twilio from "../../../fixtures/sms/twilio.json";
import { server } from "../../setup";
import { call, seedCoach, testEnv } from "./helpers";

const TOKEN = "kairos_test_twilio_auth_token";
const smsEnv = (extra: Partial<Env> = {}) =>
  testEnv({
    TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000001",
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM: "+15005550006",
    TWILIO_API_BASE: "https://api.twilio.com",
    ...extra,
  });

async function signedPost(path: string, params: Record<string, string>, token = TOKEN) {
  const url = `http://kairos.test${path}`;
  return call(
    new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": await twilioSignature(token, url, params),
      },
      body: new URLSearchParams(params),
    }),
    smsEnv(),
  );
}

describe("X-Twilio-Signature", () => {
  it("verifies the contract's signed status callback, and nothing altered", async () => {
    const { auth_token, request } = twilio.status_callback;
    const sig = request.headers["X-Twilio-Signature"];
    expect(await verifyTwilioSignature(auth_token, request.url, request.body_form, sig)).toBe(true);
    const altered = { ...request.body_form, MessageStatus: "failed" };
    expect(await verifyTwilioSignature(auth_token, request.url, altered, sig)).toBe(false);
    expect(
      await verifyTwilioSignature(auth_token, `${request.url}&x=1`, request.body_form, sig),
    ).toBe(false);
    expect(await verifyTwilioSignature(undefined, request.url, request.body_form, sig)).toBe(false);
  });
});

describe("twilio send", () => {
  it("posts To, From, Body and StatusCallback with Basic auth; 201 → the message sid", async () => {
    let form: URLSearchParams | undefined;
    let auth: string | null = null;
    server.use(
      http.post(twilio.send.url, async ({ request }) => {
        auth = request.headers.get("authorization");
        form = new URLSearchParams(await request.text());
        return HttpResponse.json(twilio.send.response.body, { status: 201 });
      }),
    );
    const sent = await twilioSms(smsEnv()).send({
      id: "ntf_sms_1",
      to: "+15555550123",
      body: "Reminder: coaching tomorrow 10:00. Reply STOP to opt out.",
    });
    expect(sent).toEqual({ providerMessageId: "SM00000000000000000000000000000001" });
    expect(auth).toBe(`Basic ${btoa(`AC00000000000000000000000000000001:${TOKEN}`)}`);
    expect(Object.fromEntries(form ?? [])).toEqual({
      To: "+15555550123",
      From: "+15005550006",
      Body: "Reminder: coaching tomorrow 10:00. Reply STOP to opt out.",
      StatusCallback: "http://kairos.test/webhooks/sms/twilio/status",
    });
  });

  it("refuses non-E.164 numbers; 429/5xx retryable, other 4xx permanent", async () => {
    const sms = twilioSms(smsEnv());
    await expect(sms.send({ id: "n", to: "0415555555", body: "x" })).rejects.toMatchObject({
      code: "bad_request",
    });
    for (const [status, retryable] of [
      [429, true],
      [503, true],
      [400, false],
    ] as const) {
      server.use(http.post(twilio.send.url, () => HttpResponse.json({ code: 21211 }, { status })));
      const err = await sms.send({ id: "n", to: "+15555550123", body: "x" }).catch((e) => e);
      expect([status, isRetryable(err)]).toEqual([status, retryable]);
    }
  });
});

describe("Twilio webhooks", () => {
  it("STOP turns SMS reminders off for that number, START back on; forged changes nothing", async () => {
    const scope = await seedCoach("coa_sms_stop");
    const pref = await ensurePreference(scope, "texter@client.test");
    await updatePreference(scope.db, pref, { smsReminders: true, phone: "+15555550999" });
    const sms = () =>
      deliveryBlock(scope, { email: "texter@client.test", category: "reminders", channel: "sms" });
    expect(await sms()).toBeNull();

    const inbound = { From: "+15555550999", To: "+15005550006", Body: " stop ", MessageSid: "SM1" };
    const forged = await signedPost("/webhooks/sms/twilio/inbound", inbound, "not-the-token");
    expect(forged.status).toBe(401);
    expect(await sms()).toBeNull();

    const stop = await signedPost("/webhooks/sms/twilio/inbound", inbound);
    expect(stop.status).toBe(200);
    expect(await stop.text()).toBe("<Response></Response>");
    expect(await sms()).toEqual({ reason: "sms_not_opted_in" });

    await signedPost("/webhooks/sms/twilio/inbound", { ...inbound, Body: "START" });
    expect(await sms()).toBeNull();
  });

  it("acknowledges a signed status callback (204) and refuses a forged one (401)", async () => {
    const params = { MessageSid: "SM1", MessageStatus: "delivered", To: "+15555550123" };
    expect((await signedPost("/webhooks/sms/twilio/status", params)).status).toBe(204);
    expect((await signedPost("/webhooks/sms/twilio/status", params, "wrong")).status).toBe(401);
    expect(env.APP_URL).toBe("http://kairos.test");
  });
});
