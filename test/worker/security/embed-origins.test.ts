/**
 * Which websites may frame a coach's booking page: exact https origins in production (no plain
 * http, no localhost, no wildcard); a local deployment also takes http on local hosts.
 */
import { describe, expect, it } from "vitest";
import {
  allowedEmbedOrigins,
  embedOriginProblem,
} from "../../../worker/public-booking/embed-origins";
import { readyCoach } from "../helpers/public-booking";
import { api } from "../helpers/sign-in";

const production = { APP_URL: "https://kairos.example.com" };
const local = { APP_URL: "http://localhost:8787" };

describe("embed origins in production", () => {
  it.each([
    "http://localhost:4000",
    "http://127.0.0.1:3000",
    "http://coach.example",
    "https://*",
    "https://*.coach.example",
  ])("refuses %s", (origin) => {
    expect(embedOriginProblem(production, origin)).toBeTruthy();
  });

  it("takes an exact https origin", () => {
    expect(embedOriginProblem(production, "https://coach.example")).toBeNull();
    expect(embedOriginProblem(production, "https://coach.example:8443")).toBeNull();
  });
});

describe("origins saved before these rules", () => {
  it("no longer embed: the served list keeps only what passes today", () => {
    const stored = ["https://coach.example", "http://localhost:4000", "https://*.coach.example"];
    expect(allowedEmbedOrigins(production, stored)).toEqual(["https://coach.example"]);
    expect(allowedEmbedOrigins(local, stored)).toEqual([
      "https://coach.example",
      "http://localhost:4000",
    ]);
  });
});

describe("embed origins in a local deployment", () => {
  it("still takes http on local hosts, but never a wildcard or http elsewhere", () => {
    expect(embedOriginProblem(local, "http://localhost:4000")).toBeNull();
    expect(embedOriginProblem(local, "http://127.0.0.1:3000")).toBeNull();
    expect(embedOriginProblem(local, "http://coach.example")).toBeTruthy();
    expect(embedOriginProblem(local, "https://*.coach.example")).toBeTruthy();
  });

  it("PUT /api/booking-settings answers 400 naming the origin, and stores nothing", async () => {
    const { jar } = await readyCoach();
    const put = (embedOrigins: string[]) =>
      api(jar, "/api/booking-settings", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ embedOrigins }),
      });
    expect((await put(["https://coach.example"])).status).toBe(200);
    const res = await put(["https://ok.example", "https://*.coach.example"]);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { details: { field: string; message: string }[] };
    };
    expect(error.details).toEqual([
      {
        field: "embedOrigins.1",
        message: expect.stringMatching(/^https:\/\/\*\.coach\.example: Wildcards/),
      },
    ]);
    const now = (await (await api(jar, "/api/booking-settings")).json()) as {
      embedOrigins: string[];
    };
    expect(now.embedOrigins).toEqual(["https://coach.example"]);
  });
});
