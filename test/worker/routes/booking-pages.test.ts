import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { api, ORIGIN } from "../helpers/sign-in";

const config = (html: string) =>
  JSON.parse(
    html.match(/id="kairos-config" type="application\/json">(.*?)<\/script>/)?.[1] ?? "{}",
  );

describe("booking widget settings and pages", () => {
  it("lets the coach allow origins, refusing anything that is not an origin", async () => {
    const { jar } = await readyCoach();
    const put = (embedOrigins: string[]) =>
      api(jar, "/api/booking-settings", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ embedOrigins }),
      });
    for (const bad of [
      "https://coach.example/path",
      "ftp://coach.example",
      "http://coach.example",
    ]) {
      const res = await put([bad]);
      expect(res.status).toBe(400);
    }
    const ok = await put(["https://coach.example", "http://localhost:4000"]);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { embedOrigins: string[]; snippet: string };
    expect(body.embedOrigins).toEqual(["https://coach.example", "http://localhost:4000"]);
    expect(body.snippet).toContain(`${ORIGIN}/embed.js`);
  });

  it("serves the booking page framable only by allowed origins, naming the host only when allowed", async () => {
    const { jar } = await readyCoach();
    await api(jar, "/api/booking-settings", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ embedOrigins: ["https://coach.example"] }),
    });
    const allowed = await exports.default.fetch(
      `${ORIGIN}/book/dana-reyes/intro-call?embed_origin=${encodeURIComponent("https://coach.example")}&embed_id=w1`,
    );
    expect(allowed.status).toBe(200);
    const csp = (res: Response) => (res.headers.get("content-security-policy") ?? "").split("; ");
    expect(csp(allowed)).toContain("frame-ancestors 'self' https://coach.example");
    expect(allowed.headers.get("x-frame-options")).toBeNull();
    expect(config(await allowed.text())).toEqual({
      embedOrigin: "https://coach.example",
      embedId: "w1",
    });

    const foreign = await exports.default.fetch(
      `${ORIGIN}/book/dana-reyes?embed_origin=${encodeURIComponent("https://evil.example")}&embed_id=w1`,
    );
    expect(config(await foreign.text())).toEqual({ embedOrigin: null, embedId: null });

    const manage = await exports.default.fetch(`${ORIGIN}/manage/whatever`);
    expect(csp(manage)).toContain("frame-ancestors 'self'");

    const loader = await exports.default.fetch(`${ORIGIN}/embed.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toMatch(/javascript/);
    expect(loader.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(loader.headers.get("cache-control")).toMatch(/max-age=300/);
  });
});
