/**
 * What a public availability read costs (its own file: the coach comes from the sandbox Calendly,
 * and test storage is per file). Uncached it asks Calendly; cached it asks nobody.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../worker/index";
import { countingD1 } from "../helpers/counting-d1";
import { countUpstreamCalls } from "../helpers/counting-upstream";
import { freshIp, readyCoach } from "../helpers/public-booking";
import { ORIGIN } from "../helpers/sign-in";
import { server } from "../setup";

const DAY = 86_400_000;

describe("D1 statements and Calendly calls per public availability read", () => {
  it("public availability: uncached asks Calendly once; cached asks nobody and costs less", async () => {
    await readyCoach();
    const read = async () => {
      const db = countingD1(env.DB);
      const upstream = countUpstreamCalls(server);
      const query = new URLSearchParams({
        coach: "dana-reyes",
        eventType: "intro-call",
        from: new Date(Date.now() + 20 * DAY).toISOString(),
        to: new Date(Date.now() + 26 * DAY).toISOString(),
      });
      const res = await worker.fetch(
        new Request(`${ORIGIN}/api/public/availability?${query}`, {
          headers: { "cf-connecting-ip": freshIp() },
        }),
        { ...env, DB: db.binding },
        createExecutionContext(),
      );
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const calls = upstream.count("calendly");
      upstream.stop();
      return { statements: db.cost.statements, calls };
    };
    const uncached = await read();
    console.log(JSON.stringify({ cost: "public availability uncached", ...uncached }));
    expect(uncached.calls).toBeGreaterThanOrEqual(1);
    expect(uncached.calls).toBeLessThanOrEqual(2);
    expect(uncached.statements).toBeLessThanOrEqual(3);
    const cached = await read();
    console.log(JSON.stringify({ cost: "public availability cached", ...cached }));
    expect(cached.calls).toBe(0);
    expect(cached.statements).toBeLessThanOrEqual(1);
  });
});
