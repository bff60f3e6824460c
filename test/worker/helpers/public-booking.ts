/** Helpers for the public booking API tests: a ready coach, open slots and a valid request body. */
import { env, exports } from "cloudflare:workers";
import { issueFormToken } from "../../../worker/public-booking/tokens";
import { sandboxSignIn } from "./sandbox-sign-in";
import { api, ORIGIN } from "./sign-in";

let ipCounter = 0;
/** A fresh client IP per call, so the per-IP rate limit only bites where a test wants it to. */
export const freshIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

const ready = new Map<string, ReturnType<typeof signInAndSync>>();

/**
 * The coach signed in with event types synced — once per test file (storage is per file, and the
 * fake Calendly allows only 8 token requests per user per minute, like the real one).
 */
export function readyCoach(email = "dana@coach.test") {
  let coach = ready.get(email);
  if (!coach) {
    coach = signInAndSync(email);
    ready.set(email, coach);
  }
  return coach;
}

async function signInAndSync(email: string) {
  const { jar } = await sandboxSignIn(email);
  const res = await api(jar, "/api/event-types/refresh", { method: "POST" });
  if (res.status !== 200) throw new Error(`event types: ${res.status}`);
  const coach = await env.DB.prepare("select id, slug from coaches where email = ?")
    .bind(email)
    .first<{ id: string; slug: string }>();
  if (!coach) throw new Error("no coach");
  return { jar, ...coach };
}

export async function openSlots(coach: string, eventType: string, days = 30) {
  const from = new Date().toISOString();
  const to = new Date(Date.now() + days * 86_400_000).toISOString();
  const res = await exports.default.fetch(
    `${ORIGIN}/api/public/availability?${new URLSearchParams({ coach, eventType, from, to })}`,
    { headers: { "cf-connecting-ip": freshIp() } },
  );
  if (res.status !== 200) throw new Error(`availability: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { slots: string[]; updatedAt: string }).slots;
}

export async function bookingBody(overrides: Record<string, unknown> = {}) {
  return {
    coach: "dana-reyes",
    eventType: "intro-call",
    timezone: "Europe/Lisbon",
    name: "Sam Rivera",
    email: "sam.rivera@client.test",
    answers: {},
    turnstileToken: "XXXX.DUMMY.TOKEN.XXXX",
    formToken: await issueFormToken(env.SESSION_SECRET, Date.now() - 10_000),
    ...overrides,
  };
}

export function postBooking(body: unknown, ip = freshIp()) {
  return exports.default.fetch(`${ORIGIN}/api/public/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify(body),
  });
}

export const sandboxInvitees = async (email: string) =>
  (
    await env.DB.prepare(
      "select count(*) as n from sandbox_calendly_invitees where email = ? and status = 'active'",
    )
      .bind(email)
      .first<{ n: number }>()
  )?.n ?? 0;

export const intentCount = async () =>
  (await env.DB.prepare("select count(*) as n from booking_intents").first<{ n: number }>())?.n ??
  0;
