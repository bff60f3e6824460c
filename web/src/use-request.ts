/**
 * Fetch state for a page: loading → data | error, with retry. Answers are kept in memory for the
 * tab, so a page visited again shows what it showed at once while it revalidates (stale while
 * revalidate). A 401 means the login is gone, so the hook sends the coach to the sign-in page.
 */

import { useCallback, useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type ApiError, read, type SuccessBody } from "./api";

export type RequestState<T> =
  | { state: "loading" }
  | { state: "error"; error: ApiError; retry: () => void }
  | { state: "ready"; data: T; retry: () => void };

type AnyResponse = Parameters<typeof read>[0];

/** `T` is inferred from the typed client call: the success body of its response. */
const cache = new Map<string, unknown>();

/** Forget every cached answer (sign-out, or a different coach signing in). */
export const clearRequestCache = () => cache.clear();

export function useRequest<R extends AnyResponse, T = SuccessBody<R>>(
  call: () => Promise<R>,
  deps: unknown[],
): RequestState<T> {
  const { route } = useLocation();
  const [attempt, setAttempt] = useState(0);
  // The call's code plus its inputs names the answer (the same page with the same filters).
  const key = `${call.toString()}|${JSON.stringify(deps)}`;
  const [result, setResult] = useState<{ data?: T; error?: ApiError; loading: boolean }>(() => {
    const hit = cache.get(key) as T | undefined;
    return hit === undefined ? { loading: true } : { data: hit, loading: false };
  });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    const hit = cache.get(key) as T | undefined;
    setResult((r) =>
      hit !== undefined ? { data: hit, loading: false } : { ...r, loading: r.data === undefined },
    );
    call()
      .then((res) => read(res))
      .then((data) => {
        cache.set(key, data);
        if (live) setResult({ data: data as T, loading: false });
      })
      .catch((e: unknown) => {
        if (!live) return;
        const error = isApiError(e)
          ? e
          : {
              status: 0,
              code: "network",
              message: "Kairos could not be reached. Check your connection.",
            };
        if (error.status === 401) {
          clearRequestCache();
          route("/signin");
        } else setResult({ error, loading: false });
      });
    return () => {
      live = false;
    };
  }, [...deps, attempt]);

  if (result.error) return { state: "error", error: result.error, retry };
  if (result.loading || result.data === undefined) return { state: "loading" };
  return { state: "ready", data: result.data, retry };
}

const isApiError = (e: unknown): e is ApiError =>
  typeof e === "object" && e !== null && "code" in e && "status" in e && "message" in e;
