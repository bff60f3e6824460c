/**
 * Date overrides: dates whose hours differ from the weekly ones — off all day, or special hours.
 * Edits only change the page's draft; they reach Calendly with "Save to Calendly", together with the
 * weekly hours, so one save (and one rollback) covers both.
 */
import { useRef, useState } from "preact/hooks";
import type { Interval, Rule } from "./blocks";
import {
  type DateRule,
  describeOverride,
  emptyDraft,
  formatDate,
  isValid,
  nextInterval,
  type OverrideDraft,
  type OverrideErrors,
  removeOverride,
  sortOverrides,
  toDraft,
  todayIn,
  toRule,
  upsertOverride,
  validateOverride,
} from "./overrides";

type Props = {
  dates: Rule[];
  onChange: (dates: Rule[]) => void;
  timeZone: string;
  /** The overrides differ from what Calendly has (shown as a reminder to save). */
  unsaved?: boolean;
  now?: number;
};

export function DateOverrides({ dates, onChange, timeZone, unsaved, now }: Props) {
  const today = todayIn(timeZone, now);
  const list = sortOverrides(dates);
  const [draft, setDraft] = useState<OverrideDraft>(emptyDraft);
  const [editing, setEditing] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const errors = validateOverride(draft, {
    today,
    existing: list.map((r) => r.date),
    editing,
  });

  const reset = () => {
    setDraft(emptyDraft());
    setEditing(null);
    setTried(false);
  };
  const edit = (rule: DateRule) => {
    setDraft(toDraft(rule));
    setEditing(rule.date);
    setTried(false);
    form.current?.querySelector<HTMLInputElement>("#override-date")?.focus();
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!isValid(errors)) {
      setTried(true);
      // Keyboard and screen reader users land on the first field that needs fixing.
      form.current?.querySelector<HTMLElement>(`#${firstInvalid(errors)}`)?.focus();
      return;
    }
    onChange(upsertOverride(dates, toRule(draft), editing));
    reset();
  };
  const remove = (rule: DateRule) => {
    onChange(removeOverride(dates, rule.date));
    if (editing === rule.date) reset();
  };
  const existing = list.find((r) => r.date === draft.date);

  return (
    <section class="override-section" aria-labelledby="override-heading">
      <h2 id="override-heading">Date overrides</h2>
      <p class="muted">
        A date's override replaces that day's weekly hours: a day off, or special hours. Overrides
        are saved with <em>Save to Calendly</em>.
      </p>
      <form ref={form} class="override-form" onSubmit={submit} noValidate>
        <div class="override-field">
          <label for="override-date">Date</label>
          <input
            id="override-date"
            type="date"
            min={today}
            value={draft.date}
            aria-invalid={Boolean(shownDateError(errors, draft, tried) || errors.taken)}
            aria-describedby="override-date-error"
            onInput={(e) => setDraft({ ...draft, date: e.currentTarget.value })}
          />
          <p id="override-date-error" class="override-error" aria-live="polite">
            {shownDateError(errors, draft, tried)}
            {errors.taken && existing && (
              <>
                {errors.taken}{" "}
                <button type="button" class="link" onClick={() => edit(existing)}>
                  Edit it instead
                </button>
              </>
            )}
          </p>
        </div>
        <fieldset class="override-kind">
          <legend>Hours on that date</legend>
          <label>
            <input
              type="radio"
              name="override-kind"
              checked={draft.allDay}
              onChange={() => setDraft({ ...draft, allDay: true })}
            />{" "}
            Unavailable all day
          </label>
          <label>
            <input
              type="radio"
              name="override-kind"
              checked={!draft.allDay}
              onChange={() => setDraft({ ...draft, allDay: false })}
            />{" "}
            Special hours
          </label>
        </fieldset>
        {!draft.allDay && (
          <IntervalRows
            intervals={draft.intervals}
            errors={errors.intervals}
            onChange={(intervals) => setDraft({ ...draft, intervals })}
          />
        )}
        <div class="toolbar">
          <button type="submit">{editing ? "Update override" : "Add override"}</button>
          {editing && (
            <button type="button" onClick={reset}>
              Cancel editing
            </button>
          )}
        </div>
      </form>
      {unsaved && (
        <p class="notice notice-info" role="status">
          Overrides changed — press <em>Save to Calendly</em> to offer them.
        </p>
      )}
      <OverrideList list={list} today={today} editing={editing} onEdit={edit} onRemove={remove} />
    </section>
  );
}

const firstInvalid = (errors: OverrideErrors) => {
  const row = errors.intervals.findIndex((m) => m !== undefined);
  return errors.date || errors.taken || row < 0 ? "override-date" : `override-from-${row}`;
};

/** "Pick a date" only once the coach tried to add; past dates as soon as one is entered. */
const shownDateError = (errors: OverrideErrors, draft: OverrideDraft, tried: boolean) =>
  draft.date || tried ? errors.date : undefined;

function IntervalRows(props: {
  intervals: Interval[];
  errors: (string | undefined)[];
  onChange: (intervals: Interval[]) => void;
}) {
  const set = (i: number, patch: Partial<Interval>) =>
    props.onChange(props.intervals.map((iv, j) => (j === i ? { ...iv, ...patch } : iv)));
  return (
    <div class="override-hours">
      <ol class="override-intervals">
        {props.intervals.map((iv, i) => {
          const n = i + 1;
          const error = props.errors[i];
          const time = (field: "from" | "to", text: string) => (
            <span class="override-time">
              <label for={`override-${field}-${i}`}>
                {text}
                <span class="sr-only"> (interval {n})</span>
              </label>
              <input
                id={`override-${field}-${i}`}
                type="time"
                step={900}
                value={iv[field]}
                aria-invalid={Boolean(error)}
                aria-describedby={`override-interval-error-${i}`}
                onInput={(e) => set(i, { [field]: e.currentTarget.value })}
              />
            </span>
          );
          // Rows have no identity beyond their position; the inputs are controlled, so index keys
          // are safe.
          return (
            <li key={i} class="override-interval">
              {time("from", "From")}
              {time("to", "To")}
              {props.intervals.length > 1 && (
                <button
                  type="button"
                  class="small"
                  aria-label={`Remove interval ${n}`}
                  onClick={() => props.onChange(props.intervals.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              )}
              <p id={`override-interval-error-${i}`} class="override-error" aria-live="polite">
                {error}
              </p>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() => props.onChange([...props.intervals, nextInterval(props.intervals)])}
      >
        Add interval
      </button>
    </div>
  );
}

function OverrideList(props: {
  list: DateRule[];
  today: string;
  editing: string | null;
  onEdit: (rule: DateRule) => void;
  onRemove: (rule: DateRule) => void;
}) {
  if (props.list.length === 0) {
    return <p class="muted">No date overrides: your weekly hours apply on every date.</p>;
  }
  return (
    <ul class="override-list" aria-label="Date overrides">
      {props.list.map((rule) => {
        const past = rule.date < props.today;
        const when = formatDate(rule.date);
        return (
          <li key={rule.date} class={past ? "override-item override-past" : "override-item"}>
            <span>
              {describeOverride(rule)}
              {past && " (past)"}
              {props.editing === rule.date && " (editing)"}
            </span>
            <span class="override-actions">
              {/* A past date no longer affects bookings: it can only be cleared away. */}
              {!past && (
                <button
                  type="button"
                  class="small"
                  aria-label={`Edit override for ${when}`}
                  onClick={() => props.onEdit(rule)}
                >
                  Edit
                </button>
              )}
              <button
                type="button"
                class="small"
                aria-label={`Remove override for ${when}`}
                onClick={() => props.onRemove(rule)}
              >
                Remove
              </button>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
