/** Stubs `fetch` with answers per path, so components run against the same JSON the worker sends. */
import { vi } from "vitest";

type Answer = { status?: number; body: unknown } | (() => { status?: number; body: unknown });

export function stubApi(routes: Record<string, Answer | Answer[]>) {
  const calls: string[] = [];
  const queues = new Map(
    Object.entries(routes).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]),
  );
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input : input.url,
      "http://app.test",
    );
    calls.push(url.pathname + url.search);
    const queue = queues.get(url.pathname);
    if (!queue?.length)
      return new Response(JSON.stringify({ error: { code: "not_found", message: "Not found." } }), {
        status: 404,
      });
    const next = queue.length > 1 ? queue.shift() : queue[0];
    const answer = typeof next === "function" ? next() : next;
    return new Response(JSON.stringify(answer?.body), {
      status: answer?.status ?? 200,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls };
}

export const health = (sandbox: boolean, publicDemo = false) => ({
  body: { status: "ok", version: "0.1.0", sandbox, publicDemo, checks: { db: "ok", kv: "ok" } },
});

export const dana = {
  id: "coa_1",
  name: "Dana Reyes",
  email: "dana@coach.test",
  timeZone: "America/New_York",
  slug: "dana-reyes",
  calendlyUserUri: "https://api.calendly.test/users/dana",
  connections: [
    {
      provider: "calendly",
      status: "connected",
      scopes: ["users:read"],
      missingScopes: [] as string[],
      accessExpiresAt: null,
      lastRefreshedAt: null,
      lastError: null,
      lastErrorAt: null,
      breaker: "closed",
      retryAt: null,
    },
  ],
};

/** GET /api/connections with the Calendly connection changed by `patch`. */
export const connections = (patch: object = {}) => ({
  body: { items: [{ ...dana.connections[0], ...patch }] },
});

export const eventType = (name: string, extra: object = {}) => ({
  id: `evt_${name}`,
  calendlyUri: `https://api.calendly.test/event_types/${name}`,
  name,
  slug: name.toLowerCase(),
  durationMinutes: 30,
  kind: "solo",
  active: true,
  secret: false,
  color: null,
  schedulingUrl: `https://calendly.test/dana/${name.toLowerCase()}`,
  description: null,
  ...extra,
});
