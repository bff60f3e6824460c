/**
 * Webhook URLs do not reveal which subscription ids exist: any post that is not genuinely signed
 * gets the very same answer (status, body, headers) at a known id, an unknown one and a malformed
 * one. Only a delivery signed with Calendly's key learns that an id is gone (410, by design).
 */
import { describe, expect, it } from "vitest";
import { deliver, inviteeEnvelope, seedSubscription, signatureHeader } from "../helpers/webhooks";

async function shape(res: Response) {
  const body = (await res.json()) as { requestId?: string };
  delete body.requestId;
  const headers = [...res.headers.keys()].filter((h) => h !== "x-request-id").sort();
  return { status: res.status, body, headers };
}

describe("Calendly webhook answers for unknown and known subscription ids", () => {
  it("look the same for every post that is not genuinely signed", async () => {
    const own = "whsec_own_key_of_the_known_subscription";
    const { subscriptionId: known } = await seedSubscription("enum1", own);
    const raw = JSON.stringify(inviteeEnvelope());
    const ids = [known, "whs_doesnotexist", "x".repeat(300)];
    const attempts: Record<string, string>[] = [
      {},
      { "calendly-webhook-signature": "t=1,v1=00" },
      { "calendly-webhook-signature": await signatureHeader("a-guessed-key", raw) },
      // Signed with the known subscription's own key: valid there, so sent to the others only.
      { "calendly-webhook-signature": await signatureHeader(own, raw) },
    ];
    for (const [i, headers] of attempts.entries()) {
      const targets = i === 3 ? ids.slice(1) : ids;
      const answers = await Promise.all(
        targets.map(async (id) => shape(await deliver(id, raw, headers))),
      );
      expect(answers[0]?.status).toBe(401);
      for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
    }
    // And the forged answer at the known id is the forged answer anywhere.
    const forgedKnown = await shape(
      await deliver(known, raw, { "calendly-webhook-signature": "t=1,v1=00" }),
    );
    const ownAtUnknown = await shape(
      await deliver("whs_doesnotexist", raw, {
        "calendly-webhook-signature": await signatureHeader(own, raw),
      }),
    );
    expect(ownAtUnknown).toEqual(forgedKnown);
  });
});
