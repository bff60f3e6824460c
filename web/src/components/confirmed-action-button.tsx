/**
 * A button for an action that cannot be undone: it says plainly what will happen and asks for
 * confirmation, shows progress while the request runs, and shows the error if it fails.
 */
import { useState } from "preact/hooks";
import type { ApiError } from "../api";
import { ErrorNotice } from "./feedback";

type Props = {
  label: string;
  busyLabel: string;
  warning: string;
  /** The request; it throws an ApiError on failure (see `read` in ../api). */
  run: () => Promise<unknown>;
  /** What happens once it succeeded (the button may be gone by then). */
  done: () => void;
};

export function ConfirmedActionButton({ label, busyLabel, warning, run, done }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const onClick = async () => {
    if (!confirm(warning)) return;
    setBusy(true);
    setError(null);
    try {
      await run();
      done();
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="small" onClick={onClick} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {error && <ErrorNotice error={error} />}
    </>
  );
}
