/**
 * The public booking API's defences, each a plain check that throws a typed AppError, in the order
 * the booking route runs them: the per-IP limit first (nothing else is spent on an address past
 * it), then the cheap checks — honeypot, the minimum time to fill the form (signed form token) and
 * Cloudflare Turnstile — and only then the per-coach limit, so junk that fails them can never use
 * up a coach's bookings for real clients. Limits are Workers Rate Limiting bindings. In sandbox
 * mode Turnstile's siteverify is the sandbox stand-in, since there is no network.
 */
import { deploymentOf, isSandbox } from "../config-guard";
import { AppError } from "../lib/errors";
import { log } from "../lib/log";
import { checkFormToken } from "./tokens";

const TURNSTILE_VERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/** The action the booking page renders its Turnstile widget with (web/book/turnstile.ts). */
export const TURNSTILE_ACTION = "book";

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

/** Booking attempts per client IP (BOOKING_IP_LIMIT, 10 a minute): checked before anything else. */
export async function limitAttemptsPerIp(env: Env, ip: string) {
  const { success } = await env.BOOKING_IP_LIMIT.limit({ key: ip });
  if (!success) throw tooMany("Too many booking attempts. Please wait a minute.");
}

/**
 * Bookings per coach (BOOKING_COACH_LIMIT, 120 a minute), counted only for requests that passed
 * `checkHuman`: anyone can send junk, only people who pass the checks count against the coach.
 */
export async function limitAttemptsPerCoach(env: Env, coachId: string) {
  const { success } = await env.BOOKING_COACH_LIMIT.limit({ key: coachId });
  if (!success) {
    throw tooMany("This coach is taking a lot of bookings right now. Please wait a minute.");
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

/** Honeypot, form token age and Turnstile; the form token is spent later (spend-form-token.ts). */
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
  await verifyTurnstile(env, input.turnstileToken, ip);
}

type Siteverify = { success?: boolean; hostname?: string; action?: string };

/**
 * Cloudflare's siteverify, and in production also what the token was minted for: a token solved on
 * another site with our site key (`hostname`) or for another widget (`action`) is refused.
 */
export async function verifyTurnstile(env: Env, token: string, ip: string) {
  const verifyUrl = isSandbox(env)
    ? `${env.APP_URL}/sandbox/turnstile/siteverify`
    : TURNSTILE_VERIFY;
  const res = await fetch(verifyUrl, {
    method: "POST",
    body: new URLSearchParams({ secret: env.TURNSTILE_SECRET_KEY, response: token, remoteip: ip }),
    signal: AbortSignal.timeout(5_000),
  }).catch((err: unknown) => {
    log.warn("turnstile.unreachable", { err });
    throw new AppError("upstream_unavailable", "The spam check is not responding. Please retry.");
  });
  const result = (await res.json().catch(() => ({}))) as Siteverify;
  if (!result.success) {
    throw spam("turnstileToken", "The spam check failed. Please complete it again.");
  }
  if (deploymentOf(env) !== "production") return;
  const hostname = new URL(env.APP_URL).hostname;
  if (result.hostname !== hostname || result.action !== TURNSTILE_ACTION) {
    log.warn("turnstile.mismatch", { hostname: result.hostname, action: result.action });
    throw spam("turnstileToken", "The spam check failed. Please complete it again.");
  }
}
