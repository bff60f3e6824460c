/**
 * The public booking API's defences, each a plain check that throws a typed AppError: rate limits
 * (per client IP and per coach, Workers Rate Limiting bindings), the honeypot field, the minimum
 * time to fill the form (signed form token) and Cloudflare Turnstile. In sandbox mode Turnstile's
 * siteverify is the sandbox stand-in, since there is no network.
 */
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { checkFormToken } from "./tokens";

const TURNSTILE_VERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

export async function limitAttempts(env: Env, ip: string, coachId: string) {
  const [perIp, perCoach] = await Promise.all([
    env.BOOKING_IP_LIMIT.limit({ key: ip }),
    env.BOOKING_COACH_LIMIT.limit({ key: coachId }),
  ]);
  if (!perIp.success || !perCoach.success) {
    throw new AppError("rate_limited", "Too many booking attempts. Please wait a minute.", {
      details: { retryAt: new Date(Date.now() + 60_000).toISOString() },
    });
  }
}

const spam = (field: string, message: string) =>
  new AppError("validation_failed", message, { details: [{ field, message }] });

export async function checkHuman(
  env: Env,
  input: { website?: string; formToken: string; turnstileToken: string },
  ip: string,
) {
  // A field people never see: only bots fill it in.
  if (input.website) throw spam("website", "This booking could not be accepted.");
  const form = await checkFormToken(env.SESSION_SECRET, input.formToken);
  if (form === "too_fast") {
    throw spam(
      "formToken",
      "That was quicker than a person can fill in the form. Please try again.",
    );
  }
  if (form !== "ok") throw spam("formToken", "The booking form expired. Please reload the page.");

  const verifyUrl =
    env.SANDBOX === "1" ? `${env.APP_URL}/sandbox/turnstile/siteverify` : TURNSTILE_VERIFY;
  const res = await fetch(verifyUrl, {
    method: "POST",
    body: new URLSearchParams({
      secret: env.TURNSTILE_SECRET_KEY,
      response: input.turnstileToken,
      remoteip: ip,
    }),
    signal: AbortSignal.timeout(5_000),
  }).catch((err: unknown) => {
    log.warn("turnstile.unreachable", { err });
    throw new AppError("upstream_unavailable", "The spam check is not responding. Please retry.");
  });
  const result = (await res.json().catch(() => ({}))) as { success?: boolean };
  if (!result.success) {
    throw spam("turnstileToken", "The spam check failed. Please complete it again.");
  }
}
