import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../../worker/index";

describe("/sandbox", () => {
  it("serves the control page with its main controls", async () => {
    const res = await exports.default.fetch("http://kairos.test/sandbox");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const text of [
      "Kairos sandbox",
      "Book as a client",
      "Upcoming events",
      "Zoom meeting",
      "webhook mode",
      "/oauth/calendly/start",
    ]) {
      expect(html).toContain(text);
    }
  });

  it("does not exist unless SANDBOX=1", async () => {
    const off = { ...env, SANDBOX: "0" };
    for (const path of [
      "/sandbox",
      "/sandbox/calendly/users/me",
      "/sandbox/calendly/control/state",
    ]) {
      const res = await worker.fetch(
        new Request(`http://kairos.test${path}`),
        off,
        createExecutionContext(),
      );
      expect(res.status).toBe(404);
    }
  });

  it("books through the control API and refuses the same slot twice", async () => {
    const slots = (await (
      await exports.default.fetch(
        "http://kairos.test/sandbox/calendly/control/slots?coachEmail=lee@coach.test&eventTypeSlug=discovery-call",
      )
    ).json()) as { slots: string[] };
    const book = () =>
      exports.default.fetch("http://kairos.test/sandbox/calendly/control/book", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          coachEmail: "lee@coach.test",
          eventTypeSlug: "discovery-call",
          startTime: slots.slots[0],
          invitee: { name: "Ana", email: "ana@client.test" },
        }),
      });
    expect((await book()).status).toBe(201);
    expect((await book()).status).toBe(409);
    const bad = await exports.default.fetch("http://kairos.test/sandbox/calendly/control/book", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(bad.status).toBe(400);
  });
});
