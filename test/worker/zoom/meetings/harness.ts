/**
 * Steps shared by the meeting tests: Dana signed in through the sandbox Calendly and connected to
 * the sandbox Zoom, an event type set to Zoom, bookings made as a client would (the fake
 * Calendly's control API, so real signed webhooks flow through Kairos's queues), and waits.
 */
import { env, exports } from "cloudflare:workers";
import type { CookieJar } from "../../helpers/cookies";
import { CALENDLY } from "../../helpers/sandbox-calendly";
import { sandboxSignIn, signInSettled } from "../../helpers/sandbox-sign-in";
import { api } from "../../helpers/sign-in";
import { connectZoom, fakeMeetings } from "../../helpers/zoom-connection";

export const calendlyControl = async (path: string, body: unknown) => {
  const res = await exports.default.fetch(`${CALENDLY}/control/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
};

export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

export const json = (body: unknown, method = "POST") => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export type Zoom = {
  meetingId: string | null;
  joinUrl: string | null;
  passcode: string | null;
  status: string;
  error?: string;
  retryAt?: string;
};
export type SessionView = {
  id: string;
  status: string;
  startTime: string;
  endTime: string;
  invitees: { email: string; calendlyUri: string }[];
  zoom: Zoom | null;
};

/** Dana, signed in, background work settled, with Zoom connected. */
export async function danaWithZoom() {
  const { jar } = await sandboxSignIn("dana@coach.test");
  const coach = await env.DB.prepare(
    "select id from coaches where email = 'dana@coach.test'",
  ).first<{ id: string }>();
  if (!coach) throw new Error("no coach");
  await signInSettled(coach.id);
  await connectZoom(coach.id, "dana@coach.test");
  return { jar, coachId: coach.id };
}

export async function eventTypeId(jar: CookieJar, name: string) {
  const types = (await (await api(jar, "/api/event-types")).json()) as {
    items: { id: string; name: string }[];
  };
  const found = types.items.find((t) => t.name === name);
  if (!found) throw new Error(`no event type ${name}`);
  return found.id;
}

export async function useZoomFor(jar: CookieJar, name: string, settings: object = {}) {
  const id = await eventTypeId(jar, name);
  const res = await api(
    jar,
    `/api/event-types/${id}/conferencing`,
    json({ provider: "zoom", ...settings }, "PUT"),
  );
  if (res.status !== 200) throw new Error(`conferencing: ${res.status} ${await res.text()}`);
  return id;
}

export async function openSlots(slug: string) {
  const res = await exports.default.fetch(
    `${CALENDLY}/control/slots?coachEmail=dana@coach.test&eventTypeSlug=${slug}`,
  );
  return ((await res.json()) as { slots: string[] }).slots;
}

export async function book(slug: string, startTime: string, name: string, email: string) {
  const res = await calendlyControl("book", {
    coachEmail: "dana@coach.test",
    eventTypeSlug: slug,
    startTime,
    invitee: { name, email },
  });
  if (res.status !== 201) throw new Error(`book: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { event: string; invitee: string };
}

export async function sessionOf(jar: CookieJar, email: string, status = "active") {
  const page = (await (
    await api(jar, `/api/sessions?q=${encodeURIComponent(email)}&status=${status}`)
  ).json()) as { items: SessionView[] };
  return page.items[0];
}

export async function sessionById(jar: CookieJar, id: string) {
  return (await (await api(jar, `/api/sessions/${id}`)).json()) as SessionView;
}

/** The (active) session of `email` once `ok` holds for it. */
export async function sessionWhen(
  jar: CookieJar,
  email: string,
  ok: (s: SessionView) => boolean,
  what: string,
): Promise<SessionView> {
  const s = await eventually(
    () => sessionOf(jar, email),
    (v) => v !== undefined && ok(v),
    what,
  );
  return s as SessionView;
}

/** The session of `email` once its meeting is ready. */
export const readySession = (jar: CookieJar, email: string) =>
  sessionWhen(jar, email, (s) => s.zoom?.status === "ready", `a ready meeting for ${email}`);

/** The fake's live meetings at one start time. */
export async function meetingsAt(startTime: string) {
  const at = new Date(startTime).toISOString();
  return (await fakeMeetings()).filter((m) => m.startTime === at && m.status !== "deleted");
}

export const liveMeetingsWithMarker = async (marker: string) =>
  (await fakeMeetings()).filter((m) => m.status !== "deleted" && m.agenda.includes(marker));
