/**
 * Fetch state for a page: loading → data | error, with retry. A 401 means the login is gone, so the
 * hook sends the coach to the sign-in page instead of showing an error.
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
export function useRequest<R extends AnyResponse, T = SuccessBody<R>>(
  call: () => Promise<R>,
  deps: unknown[],
): RequestState<T> {
  const { route } = useLocation();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ data?: T; error?: ApiError; loading: boolean }>({
    loading: true,
  });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    setResult((r) => ({ ...r, loading: r.data === undefined }));
    call()
      .then((res) => read(res))
      .then((data) => live && setResult({ data: data as T, loading: false }))
      .catch((e: unknown) => {
        if (!live) return;
        const error = isApiError(e)
          ? e
          : {
              status: 0,
              code: "network",
              message: "Kairos could not be reached. Check your connection.",
            };
        if (error.status === 401) route("/signin");
        else setResult({ error, loading: false });
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
