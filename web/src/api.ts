/** The typed API client: request and response types come from the worker's routes (Hono RPC). */
import { type ClientResponse, hc } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { AppType } from "../../worker/app";

export const api = hc<AppType>("/").api;

/** `retryAt`: when an upstream (Calendly, Zoom) is paused, the instant Kairos calls it again. */
export type ApiError = { code: string; message: string; status: number; retryAt?: string };

/** The JSON body of a typed response's success statuses. */
export type SuccessBody<R> =
  R extends ClientResponse<infer T, infer S, "json">
    ? S extends SuccessStatusCode
      ? T
      : never
    : never;

type AnyResponse = { ok: boolean; status: number; json(): Promise<unknown> };

/** Reads a response: JSON on success, the error envelope (or a plain message) otherwise. */
export async function read<R extends AnyResponse>(res: R): Promise<SuccessBody<R>> {
  if (res.ok) return (await res.json()) as SuccessBody<R>;
  const body = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: { retryAt?: unknown } };
  } | null;
  const retryAt = body?.error?.details?.retryAt;
  const error: ApiError = {
    status: res.status,
    code: body?.error?.code ?? "http_error",
    message: body?.error?.message ?? `The server answered ${res.status}. Please try again.`,
    ...(typeof retryAt === "string" ? { retryAt } : {}),
  };
  throw error;
}

/** "14:05" in the coach's own clock. */
export const clockTime = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** The signed-in coach as /api/me describes them (shared by the layout, banner and settings). */
export type Coach = SuccessBody<Awaited<ReturnType<typeof api.me.$get>>>;
