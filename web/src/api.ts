/** The typed API client: request and response types come from the worker's routes (Hono RPC). */
import { type ClientResponse, hc } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { AppType } from "../../worker/app";

export const api = hc<AppType>("/").api;

export type ApiError = { code: string; message: string; status: number };

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
    error?: { code?: string; message?: string };
  } | null;
  const error: ApiError = {
    status: res.status,
    code: body?.error?.code ?? "http_error",
    message: body?.error?.message ?? `The server answered ${res.status}. Please try again.`,
  };
  throw error;
}
