/**
 * An event type's video meeting setting: none, or a Zoom meeting for every new booking with its
 * room settings (waiting room on and join before host off by default; a passcode generated per
 * meeting, none, or the coach's own). Props in; the page saves.
 */
import { useState } from "preact/hooks";
import type { ApiError } from "../api";
import { ErrorNotice } from "./feedback";

export type ConferencingValue = {
  eventTypeId: string;
  provider: "zoom" | "none";
  waitingRoom: boolean;
  joinBeforeHost: boolean;
  passcode: boolean | string;
};
export type ConferencingChange = Omit<ConferencingValue, "eventTypeId">;

type Props = {
  name: string;
  value: ConferencingValue;
  zoomConnected: boolean;
  onSave: (change: ConferencingChange) => Promise<unknown>;
};

type PasscodeChoice = "generate" | "none" | "fixed";
const choiceOf = (p: boolean | string): PasscodeChoice =>
  typeof p === "string" ? "fixed" : p ? "generate" : "none";

export function ZoomConferencing({ name, value, zoomConnected, onSave }: Props) {
  const [provider, setProvider] = useState(value.provider);
  const [waitingRoom, setWaitingRoom] = useState(value.waitingRoom);
  const [joinBeforeHost, setJoinBeforeHost] = useState(value.joinBeforeHost);
  const [choice, setChoice] = useState<PasscodeChoice>(choiceOf(value.passcode));
  const [fixed, setFixed] = useState(typeof value.passcode === "string" ? value.passcode : "");
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = (field: string) => `conf-${value.eventTypeId}-${field}`;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await onSave({
        provider,
        waitingRoom,
        joinBeforeHost: waitingRoom ? false : joinBeforeHost,
        passcode: choice === "fixed" ? fixed : choice === "generate",
      });
      setSaved(true);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="conferencing" onSubmit={save} aria-label={`Video meeting for ${name}`}>
      <label for={id("provider")}>Video meeting</label>
      <select
        id={id("provider")}
        value={provider}
        onChange={(e) => setProvider(e.currentTarget.value as "zoom" | "none")}
      >
        <option value="none">None</option>
        <option value="zoom" disabled={!zoomConnected && value.provider !== "zoom"}>
          Zoom{zoomConnected ? "" : " (connect Zoom first)"}
        </option>
      </select>
      {provider === "zoom" && (
        <fieldset>
          <label>
            <input
              type="checkbox"
              checked={waitingRoom}
              onChange={(e) => setWaitingRoom(e.currentTarget.checked)}
            />{" "}
            Waiting room
          </label>
          <label>
            <input
              type="checkbox"
              checked={joinBeforeHost && !waitingRoom}
              disabled={waitingRoom}
              onChange={(e) => setJoinBeforeHost(e.currentTarget.checked)}
            />{" "}
            Client may join before you
          </label>
          <label for={id("passcode")}>Passcode</label>
          <select
            id={id("passcode")}
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value as PasscodeChoice)}
          >
            <option value="generate">A new one for every meeting</option>
            <option value="fixed">Always the same</option>
            <option value="none">None (Zoom's account setting decides)</option>
          </select>
          {choice === "fixed" && (
            <input
              aria-label="Passcode"
              value={fixed}
              maxLength={10}
              pattern="[A-Za-z0-9@\-_*]{1,10}"
              required
              onInput={(e) => setFixed(e.currentTarget.value)}
            />
          )}
        </fieldset>
      )}
      <button type="submit" class="small" disabled={busy}>
        {busy ? "Saving…" : "Save"}
      </button>
      {saved && <span class="muted"> Saved — applies to new bookings.</span>}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
