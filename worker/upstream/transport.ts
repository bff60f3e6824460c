/**
 * How a typed API client reaches its upstream. A call is plain data (so it can cross RPC into the
 * coach's CoachGuard, which adds the token and applies the HTTP policy); the answer is the status and
 * parsed JSON of a success, and any failure is a typed AppError.
 */
import { upstreamHttpError } from "./errors";
import { initialGateState, POLICY, type Upstream, UpstreamGate } from "./policy";

export type ApiCall = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
};
export type ApiAnswer = { status: number; body: unknown };
export type Transport = (call: ApiCall) => Promise<ApiAnswer>;

/** GET, PUT and DELETE can be repeated safely; POST and PATCH are never retried blindly. */
export const isIdempotent = (method: ApiCall["method"]) =>
  method === "GET" || method === "PUT" || method === "DELETE";

export function apiRequest(apiBase: string, token: string, call: ApiCall): Request {
  const url = new URL(`${apiBase}${call.path}`);
  for (const [k, v] of Object.entries(call.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  return new Request(url, {
    method: call.method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...(call.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
}

/** A success becomes an answer; anything else the typed error for its status. */
export async function readAnswer(
  upstream: Upstream,
  res: Response,
  call: ApiCall,
): Promise<ApiAnswer> {
  const what = `${call.method} ${call.path}`;
  if (!res.ok) throw upstreamHttpError(upstream, res.status, await res.text(), what);
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    throw upstreamHttpError(upstream, 502, text, `${what} (not JSON)`);
  }
}

export const realGateDeps = {
  fetch: (request: Request) => fetch(request),
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** A gate with no memory, for calls made before a coach exists (the sign-in callback). */
export const oneOffGate = (upstream: Upstream) =>
  new UpstreamGate(upstream, initialGateState(), realGateDeps, POLICY);

/** Calls with a token the caller already holds, through a one-off gate. */
export function directTransport(upstream: Upstream, apiBase: string, token: string): Transport {
  const gate = oneOffGate(upstream);
  return async (call) =>
    readAnswer(
      upstream,
      await gate.send(apiRequest(apiBase, token, call), { idempotent: isIdempotent(call.method) }),
      call,
    );
}
