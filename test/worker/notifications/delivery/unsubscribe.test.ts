/**
 * One-click unsubscribe (RFC 8058) and the preference centre: a POST to /u/{token} stops that one
 * category for that one coach's client at once; GET never unsubscribes; tokens are signed.
 */
import { describe, expect, it } from "vitest";
import { deliveryBlock, unsubscribeHeaders } from "../../../../worker/notifications/preferences";
import { handleInboundEmail } from "../../../../worker/notifications/preferences/email-handler";
import { call, seedCoach, testEnv, tokenOf } from "./helpers";

const CLIENT = "Sam.Client@Example.net";
const url = (path: string) => `http://kairos.test${path}`;

async function headersFor(coachId: string, category: "reminders" | "follow_ups") {
  return unsubscribeHeaders(testEnv(), { coachId, email: CLIENT, category });
}

describe("unsubscribe headers", () => {
  it("puts an https and a mailto link and the one-click marker on optional mail only", async () => {
    const scope = await seedCoach("coa_unsub_headers");
    const h = await headersFor(scope.coachId, "reminders");
    expect(h["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const token = tokenOf(h["List-Unsubscribe"] ?? "");
    expect(h["List-Unsubscribe"]).toBe(
      `<http://kairos.test/u/${token}>, <mailto:u+${token}@localhost?subject=unsubscribe>`,
    );
    // The token names no address, and fits a mailto local part.
    expect(token).not.toContain("sam");
    expect(`u+${token}`.length).toBeLessThanOrEqual(64);
    expect(
      await unsubscribeHeaders(testEnv(), {
        coachId: scope.coachId,
        email: CLIENT,
        category: "transactional",
      }),
    ).toEqual({});
    // The same client again: the same link (one preference row per coach and address).
    expect(tokenOf((await headersFor(scope.coachId, "reminders"))["List-Unsubscribe"] ?? "")).toBe(
      token,
    );
  });
});

describe("POST /u/{token} (one-click)", () => {
  it("stops that category for that client at once, and nothing else", async () => {
    const scope = await seedCoach("coa_unsub_click");
    const other = await seedCoach("coa_unsub_other");
    const token = tokenOf((await headersFor(scope.coachId, "reminders"))["List-Unsubscribe"] ?? "");
    await headersFor(other.coachId, "reminders");
    const to = { email: "sam.client@example.net", channel: "email" as const };

    expect(await deliveryBlock(scope, { ...to, category: "reminders" })).toBeNull();
    // As a mailbox provider sends it: form body, no cookie, no Origin.
    const res = await call(
      new Request(url(`/u/${token}`), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("You are unsubscribed");

    expect(await deliveryBlock(scope, { ...to, category: "reminders" })).toEqual({
      reason: "unsubscribed",
    });
    expect(await deliveryBlock(scope, { ...to, category: "follow_ups" })).toBeNull();
    expect(await deliveryBlock(scope, { ...to, category: "transactional" })).toBeNull();
    // Another coach's reminders to the same address still go.
    expect(await deliveryBlock(other, { ...to, category: "reminders" })).toBeNull();

    // Posting again (a provider retrying) is still 200.
    const again = await call(
      new Request(url(`/u/${token}`), { method: "POST", body: "List-Unsubscribe=One-Click" }),
    );
    expect(again.status).toBe(200);
  });

  it("accepts multipart/form-data too", async () => {
    const scope = await seedCoach("coa_unsub_multipart");
    const token = tokenOf(
      (await headersFor(scope.coachId, "follow_ups"))["List-Unsubscribe"] ?? "",
    );
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    const res = await call(new Request(url(`/u/${token}`), { method: "POST", body: form }));
    expect(res.status).toBe(200);
    expect(
      await deliveryBlock(scope, { email: CLIENT, category: "follow_ups", channel: "email" }),
    ).toEqual({ reason: "unsubscribed" });
  });

  it("refuses forged, altered and oversized tokens with a 404 page and changes nothing", async () => {
    const scope = await seedCoach("coa_unsub_forged");
    const token = tokenOf((await headersFor(scope.coachId, "reminders"))["List-Unsubscribe"] ?? "");
    const flipped = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
    // The same row, the other category, the old MAC.
    const otherCategory = token.replace(".r.", ".f.");
    for (const bad of [flipped, otherCategory, "x".repeat(5000), "np00.r.00"]) {
      const res = await call(new Request(url(`/u/${bad}`), { method: "POST", body: "" }));
      expect(res.status).toBe(404);
    }
    expect(
      await deliveryBlock(scope, { email: CLIENT, category: "reminders", channel: "email" }),
    ).toBeNull();
    expect(
      await deliveryBlock(scope, { email: CLIENT, category: "follow_ups", channel: "email" }),
    ).toBeNull();
  });
});

describe("mailto:u+{token}@ (Email Routing → email())", () => {
  it("unsubscribes that category; any other address is rejected", async () => {
    const scope = await seedCoach("coa_unsub_mailto");
    const token = tokenOf(
      (await headersFor(scope.coachId, "follow_ups"))["List-Unsubscribe"] ?? "",
    );
    const rejected: string[] = [];
    const setReject = (reason: string) => rejected.push(reason);
    // Some relays upper-case the local part: the token is lowercase hex, so case does not matter.
    await handleInboundEmail({ to: `U+${token.toUpperCase()}@localhost`, setReject }, testEnv());
    expect(rejected).toEqual([]);
    expect(
      await deliveryBlock(scope, { email: CLIENT, category: "follow_ups", channel: "email" }),
    ).toEqual({ reason: "unsubscribed" });
    await handleInboundEmail({ to: "someone@localhost", setReject }, testEnv());
    await handleInboundEmail(
      { to: `u+${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}@localhost`, setReject },
      testEnv(),
    );
    expect(rejected).toHaveLength(2);
  });
});

describe("GET /u/{token}", () => {
  it("shows a confirmation page that posts, and never unsubscribes by itself", async () => {
    const scope = await seedCoach("coa_unsub_get");
    const token = tokenOf((await headersFor(scope.coachId, "reminders"))["List-Unsubscribe"] ?? "");
    const res = await call(new Request(url(`/u/${token}`)));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain("Coach coa_unsub_get");
    expect(
      await deliveryBlock(scope, { email: CLIENT, category: "reminders", channel: "email" }),
    ).toBeNull();
  });
});

describe("/preferences/{token}", () => {
  it("shows and saves the client's choices; SMS only with an E.164 number", async () => {
    const scope = await seedCoach("coa_prefs");
    const token = tokenOf((await headersFor(scope.coachId, "reminders"))["List-Unsubscribe"] ?? "");
    const page = await call(new Request(url(`/preferences/${token}`)));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="reminders" value="on" checked');
    expect(html).not.toContain('name="sms_reminders" value="on" checked');

    const post = (body: string, headers: Record<string, string> = {}) =>
      call(
        new Request(url(`/preferences/${token}`), {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: "http://kairos.test",
            ...headers,
          },
          body,
        }),
      );
    const sms = (s: typeof scope) =>
      deliveryBlock(s, { email: CLIENT, category: "reminders", channel: "sms" });
    expect(await sms(scope)).toEqual({ reason: "sms_not_opted_in" });

    const badPhone = await post("reminders=on&sms_reminders=on&phone=0415 555");
    expect(badPhone.status).toBe(400);
    expect(await badPhone.text()).toContain("international format");
    expect(await sms(scope)).toEqual({ reason: "sms_not_opted_in" });

    const saved = await post("follow_ups=on&sms_reminders=on&phone=%2B1 415 555 0123");
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved.");
    const to = { email: CLIENT, channel: "email" as const };
    expect(await deliveryBlock(scope, { ...to, category: "reminders" })).toEqual({
      reason: "unsubscribed",
    });
    expect(await deliveryBlock(scope, { ...to, category: "follow_ups" })).toBeNull();
    expect(await sms(scope)).toBeNull();
  });

  it("refuses a form posted from another site (403) and changes nothing", async () => {
    const scope = await seedCoach("coa_prefs_csrf");
    const token = tokenOf((await headersFor(scope.coachId, "reminders"))["List-Unsubscribe"] ?? "");
    const res = await call(
      new Request(url(`/preferences/${token}`), {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "https://evil.example",
        },
        body: "",
      }),
    );
    expect(res.status).toBe(403);
    expect(
      await deliveryBlock(scope, { email: CLIENT, category: "reminders", channel: "email" }),
    ).toBeNull();
  });

  it("is a 404 page for an invalid token", async () => {
    const res = await call(new Request(url("/preferences/np0000.r.0000")));
    expect(res.status).toBe(404);
  });
});
