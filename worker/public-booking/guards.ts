/**
 * The public booking API's defences, each a plain check that throws a typed AppError: rate limits
 * (bookings per client IP and per coach, availability reads per client IP; Workers Rate Limiting
 * bindings), the honeypot field, the minimum time to fill the form (signed form token, one client
 * per token) and
 * Cloudflare Turnstile. In sandbox mode Turnstile's siteverify is the sandbox stand-in, since there
 * is no network.
 */
import { isSandbox } from "../config-guard";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { checkFormToken, claimFormToken } from "./tokens";

const TURNSTILE_VERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/**
 * The limits count per 60-second period, and the binding does not say when the current one ends:
 * telling the client to wait a whole period is never too soon.
 */
const LIMIT_PERIOD_S = 60;

const tooMany = (message: string) =>
  new AppError("rate_limited", message, {
    details: { retryAt: new Date(Date.now() + LIMIT_PERIOD_S * 1000).toISOString() },
    retryAfterSeconds: LIMIT_PERIOD_S,
  });

export async function limitAttempts(env: Env, ip: string, coachId: string) {
  const [perIp, perCoach] = await Promise.all([
    env.BOOKING_IP_LIMIT.limit({ key: ip }),
    env.BOOKING_COACH_LIMIT.limit({ key: coachId }),
  ]);
  if (!perIp.success || !perCoach.success) {
    throw tooMany("Too many booking attempts. Please wait a minute.");
  }
}

/**
 * Availability reads per client IP (AVAILABILITY_IP_LIMIT, 30 a minute). Checked before anything
 * is read, so a caller cycling windows can spend neither the cache nor the coach's Calendly budget.
 */
export async function limitReads(env: Env, ip: string) {
  const { success } = await env.AVAILABILITY_IP_LIMIT.limit({ key: ip });
  if (!success) throw tooMany("Too many availability requests. Please wait a minute.");
}

const spam = (field: string, message: string) =>
  new AppError("validation_failed", message, { details: [{ field, message }] });

export async function checkHuman(
  env: Env,
  input: {
    website?: string;
    formToken: string;
    turnstileToken: string;
    coach: string;
    email: string;
  },
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

  const verifyUrl = isSandbox(env)
    ? `${env.APP_URL}/sandbox/turnstile/siteverify`
    : TURNSTILE_VERIFY;
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
  // Claimed only now, so junk that fails the checks above cannot spend a real client's form.
  if (!(await claimFormToken(env.AVAILABILITY_CACHE, input.formToken, input))) {
    throw spam("formToken", "This booking form was already used. Please reload the page.");
  }
}
