/**
 * Turnstile in production checks what the token was solved for, not only that it was solved: the
 * siteverify answer's `hostname` must be APP_URL's host and its `action` the booking page's. The
 * sandbox stand-in answers with both fields, like Cloudflare's siteverify.
 */
import { env, exports } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../worker/lib/errors";
import { TURNSTILE_ACTION, verifyTurnstile } from "../../../worker/public-booking/guards";
import { ORIGIN } from "../helpers/sign-in";
import { server } from "../setup";

const SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const production = { ...env, APP_URL: "https://kairos.example.com", SANDBOX: "0" } as Env;

function siteverifyAnswers(answer: Record<string, unknown>) {
  server.use(http.post(SITEVERIFY, () => HttpResponse.json({ success: true, ...answer })));
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => (err instanceof AppError ? `${err.status} ${err.message}` : String(err)),
  );

describe("Turnstile in production", () => {
  it("accepts a token solved on our host for the booking action", async () => {
    siteverifyAnswers({ hostname: "kairos.example.com", action: TURNSTILE_ACTION });
    await expect(verifyTurnstile(production, "token", "203.0.113.9")).resolves.toBeUndefined();
  });

  it.each([
    ["another host", { hostname: "evil.example.net", action: TURNSTILE_ACTION }],
    ["no host", { action: TURNSTILE_ACTION }],
    ["another action", { hostname: "kairos.example.com", action: "login" }],
    ["no action", { hostname: "kairos.example.com" }],
  ])("refuses a token solved for %s", async (_, answer) => {
    siteverifyAnswers(answer);
    expect(await refusal(verifyTurnstile(production, "token", "203.0.113.9"))).toMatch(
      /^400 The spam check failed/,
    );
  });
});

describe("the sandbox stand-in", () => {
  it("answers with hostname and action like Cloudflare's siteverify", async () => {
    const res = await exports.default.fetch(`${ORIGIN}/sandbox/turnstile/siteverify`, {
      method: "POST",
      body: new URLSearchParams({ secret: env.TURNSTILE_SECRET_KEY, response: "XXXX.DUMMY" }),
    });
    expect(await res.json()).toMatchObject({
      success: true,
      hostname: new URL(env.APP_URL).hostname,
      action: TURNSTILE_ACTION,
    });
  });

  it("leaves hostname and action unchecked outside production", async () => {
    await expect(verifyTurnstile(env, "action:other", "203.0.113.9")).resolves.toBeUndefined();
  });
});
