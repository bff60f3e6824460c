/**
 * Stand-in for Cloudflare Turnstile's siteverify (there is no network in the sandbox). It follows
 * Cloudflare's documented test keys: secret `1x…AA` passes any non-empty token, `2x…AA` always
 * fails; the token `fail` fails too, so tests can exercise the refusal with the passing key. Like
 * Cloudflare's answer it names the hostname and the widget's action the token was solved for: this
 * app's host, and the booking page's action (`book`) unless the token is `action:<other>`.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { TURNSTILE_ACTION } from "../../public-booking/guards";

export const turnstileSandbox = new Hono<AppEnv>().post("/siteverify", async (c) => {
  const form = await c.req.parseBody();
  const secret = String(form.secret ?? "");
  const token = String(form.response ?? "");
  const success = secret.startsWith("1x") && token !== "" && token !== "fail";
  const action = token.startsWith("action:") ? token.slice("action:".length) : TURNSTILE_ACTION;
  return c.json({
    success,
    "error-codes": success ? [] : [token ? "invalid-input-response" : "missing-input-response"],
    challenge_ts: new Date().toISOString(),
    hostname: new URL(c.env.APP_URL).hostname,
    action: success ? action : "",
    cdata: "",
  });
});
