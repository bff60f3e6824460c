/**
 * Availability: an event type's weekly hours as a week calendar (15-minute snap). Drag on a day to
 * add a block, press a block to remove it, undo/redo, copy Monday to the weekdays, clear a day, or add
 * a block with the keyboard form; date overrides (a day off, or special hours on one date) are saved
 * with the weekly hours. Saving replaces the rules in Calendly; the calendar shows the change at once
 * and rolls back, saying so, if Calendly refuses. The calendar spans 06:00–22:00, or more when hours
 * or busy times lie outside.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { AddBlockForm } from "../availability/add-block-form";
import {
  type Block,
  type Busy,
  blocksToRules,
  busyOnWeekdays,
  conflicts,
  DAY_MINUTES,
  DEFAULT_RANGE,
  dayLabel,
  hourRange,
  labelIn,
  merge,
  type Rule,
  rulesToBlocks,
  snap,
  toHhmm,
  toMinutes,
  WEEK_ORDER,
  type Weekday,
} from "../availability/blocks";
import { BufferForm } from "../availability/buffer-form";
import { DateOverrides } from "../availability/date-overrides";
import { DayColumn, PX_PER_MIN } from "../availability/day-column";
import { SlotsAge } from "../availability/slots-age";
import { Templates } from "../availability/templates";
import { EmptyState, ErrorNotice, Spinner } from "../components/feedback";
import { toast } from "../components/toasts";
import { useRequest } from "../use-request";

export function AvailabilityPage() {
  const types = useRequest(() => api["event-types"].$get({ query: {} }), []);
  const [typeId, setTypeId] = useState<string | null>(null);
  if (types.state === "loading") return <Spinner label="Loading event types…" />;
  if (types.state === "error") return <ErrorNotice error={types.error} onRetry={types.retry} />;
  const active = types.data.items.filter((t) => t.active);
  if (active.length === 0) return <EmptyState>No active event types in Calendly.</EmptyState>;
  const chosen = typeId ?? active[0]?.id ?? "";
  return (
    <section>
      <h1>Availability</h1>
      <label class="field-inline">
        Event type{" "}
        <select value={chosen} onChange={(e) => setTypeId(e.currentTarget.value)}>
          {active.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <ScheduleEditor key={chosen} eventTypeId={chosen} />
      {(() => {
        const et = active.find((t) => t.id === chosen);
        return et && et.kind === "solo" ? (
          <BufferForm
            key={`b-${chosen}`}
            eventTypeId={chosen}
            before={et.beforeBuffer}
            after={et.afterBuffer}
          />
        ) : null;
      })()}
    </section>
  );
}

function ScheduleEditor({ eventTypeId }: { eventTypeId: string }) {
  const schedule = useRequest(
    () => api["event-types"][":id"].schedule.$get({ param: { id: eventTypeId } }),
    [eventTypeId],
  );
  if (schedule.state === "loading") return <Spinner label="Reading your hours from Calendly…" />;
  if (schedule.state === "error")
    return <ErrorNotice error={schedule.error} onRetry={schedule.retry} />;
  return (
    <Editor
      eventTypeId={eventTypeId}
      timeZone={schedule.data.timeZone}
      rules={schedule.data.rules as Rule[]}
    />
  );
}

function Editor(props: { eventTypeId: string; timeZone: string; rules: Rule[] }) {
  const [saved, setSaved] = useState(() => rulesToBlocks(props.rules));
  const [history, setHistory] = useState<Block[][]>([saved]);
  const [at, setAt] = useState(0);
  const [draft, setDraft] = useState<Block | null>(null);
  const [status, setStatus] = useState<{ kind: "saving" | "saved" | "error"; error?: ApiError }>();
  const [day, setDay] = useState<Weekday>("monday");
  const [viewZone, setViewZone] = useState("");
  const blocks = history[at] ?? [];
  const [dates, setDates] = useState<Rule[]>(() => props.rules.filter((r) => r.type === "date"));
  const [savedDates, setSavedDates] = useState(dates);
  // Override edits Calendly refused: rolled back, but one press brings them back (weekly hours have Undo).
  const [refusedDates, setRefusedDates] = useState<Rule[] | null>(null);
  // Bumped once Calendly has accepted a save, so the slot count is read again only then.
  const [revision, setRevision] = useState(0);
  const dirty =
    JSON.stringify(blocks) !== JSON.stringify(saved) ||
    JSON.stringify(dates) !== JSON.stringify(savedDates);
  const busyReq = useRequest(() => api.availability.busy.$get(), []);
  const busy = busyReq.state === "ready" ? busyOnWeekdays(busyReq.data.items, props.timeZone) : [];
  const clashes = conflicts(blocks, busy);
  // The coach can widen the drawn hours to drag blocks into the early morning or late evening.
  const [shown, setShown] = useState(DEFAULT_RANGE);
  const range = hourRange([...blocks, ...busy, ...(draft ? [draft] : [])], shown);

  const change = (next: Block[]) => {
    setHistory([...history.slice(0, at + 1), merge(next)]);
    setAt(at + 1);
    setStatus(undefined);
  };
  const save = async () => {
    const previous = saved;
    const previousDates = savedDates;
    setSaved(blocks); // optimistic
    setSavedDates(dates);
    setStatus({ kind: "saving" });
    try {
      await read(
        await api["event-types"][":id"].schedule.$put({
          param: { id: props.eventTypeId },
          json: { timeZone: props.timeZone, rules: blocksToRules(blocks, dates) },
        }),
      );
      setStatus({ kind: "saved" });
      setRefusedDates(null);
      setRevision((n) => n + 1);
      toast("Availability saved to Calendly.");
    } catch (e) {
      setSaved(previous);
      setSavedDates(previousDates);
      if (JSON.stringify(dates) !== JSON.stringify(previousDates)) setRefusedDates(dates);
      setDates(previousDates);
      setHistory([...history.slice(0, at + 1), previous]);
      setAt(at + 1);
      setStatus({ kind: "error", error: e as ApiError });
      toast("Calendly did not accept the change; your previous hours are back.", "error");
    }
  };

  return (
    <div class="availability">
      <p class="muted">
        Times are in the schedule's time zone, <strong>{props.timeZone}</strong>. Drag on a day to
        add hours, drag a block to move it or its bottom edge to resize it; press a block to remove
        it.
      </p>
      <div class="toolbar" role="toolbar" aria-label="Calendar actions">
        <button type="button" onClick={() => setAt(at - 1)} disabled={at === 0}>
          Undo
        </button>
        <button type="button" onClick={() => setAt(at + 1)} disabled={at >= history.length - 1}>
          Redo
        </button>
        <button
          type="button"
          onClick={() =>
            change([
              ...blocks.filter(
                (b) => !["tuesday", "wednesday", "thursday", "friday"].includes(b.day),
              ),
              ...["tuesday", "wednesday", "thursday", "friday"].flatMap((d) =>
                blocks.filter((b) => b.day === "monday").map((b) => ({ ...b, day: d as Weekday })),
              ),
            ])
          }
        >
          Copy Monday to weekdays
        </button>
        <label>
          Day{" "}
          <select value={day} onChange={(e) => setDay(e.currentTarget.value as Weekday)}>
            {WEEK_ORDER.map((d) => (
              <option key={d} value={d}>
                {dayLabel(d)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => change(blocks.filter((b) => b.day !== day))}>
          Clear day
        </button>
        <button
          type="button"
          class="primary"
          onClick={save}
          disabled={!dirty || status?.kind === "saving"}
        >
          {status?.kind === "saving" ? "Saving…" : "Save to Calendly"}
        </button>
      </div>
      {status?.kind === "saved" && (
        <p class="notice" role="status">
          Saved. Calendly now offers these hours.
        </p>
      )}
      {status?.kind === "error" && status.error && (
        <>
          <p class="notice notice-error">
            Calendly did not accept the change; your previous hours are back.
          </p>
          <ErrorNotice error={status.error} />
        </>
      )}
      <AddBlockForm day={day} onAdd={(b) => change([...blocks, b])} />
      <Templates blocks={blocks} onApply={(b) => change(b)} />
      {refusedDates && (
        <p class="notice" role="status">
          Calendly refused your date-override changes, so the saved ones are shown.{" "}
          <button
            type="button"
            class="small"
            onClick={() => {
              setDates(refusedDates);
              setRefusedDates(null);
              setStatus(undefined);
            }}
          >
            Restore my changes
          </button>
        </p>
      )}
      <DateOverrides
        dates={dates}
        onChange={(next) => {
          setDates(next);
          setStatus(undefined);
        }}
        timeZone={props.timeZone}
        unsaved={JSON.stringify(dates) !== JSON.stringify(savedDates)}
      />
      {clashes.length > 0 && (
        <div class="notice notice-error" role="status">
          <p>Your calendar is busy during these hours, so they will not be offered this week:</p>
          <ul>
            {clashes.map(({ block, busy: b }) => (
              <li key={`${block.day}-${b.start}`}>
                {dayLabel(block.day)} {toHhmm(b.start)}–{toHhmm(b.end)} (inside your{" "}
                {toHhmm(block.start)}–{toHhmm(block.end)} block)
              </li>
            ))}
          </ul>
        </div>
      )}
      <label class="field-inline">
        Also show times in{" "}
        <select value={viewZone} onChange={(e) => setViewZone(e.currentTarget.value)}>
          <option value="">—</option>
          {(Intl as typeof Intl & { supportedValuesOf(k: string): string[] })
            .supportedValuesOf("timeZone")
            .map((z) => (
              <option key={z}>{z}</option>
            ))}
        </select>
      </label>
      <p class="muted legend">
        <span class="swatch block-swatch" /> Available · <span class="swatch busy-swatch" /> Busy in
        your calendar (this week) · <span class="swatch booked-swatch" /> Booked
      </p>
      <p class="range-controls">
        <button
          type="button"
          class="small"
          disabled={range.first === 0}
          onClick={() => setShown({ ...shown, first: Math.max(0, range.first - 120) })}
        >
          Show earlier hours
        </button>
        <button
          type="button"
          class="small"
          disabled={range.last === DAY_MINUTES}
          onClick={() => setShown({ ...shown, last: Math.min(DAY_MINUTES, range.last + 120) })}
        >
          Show later hours
        </button>
      </p>
      <div class="week" data-day={day}>
        <div class="axis" aria-hidden="true">
          <h2 class="day-name">&nbsp;</h2>
          <div
            class="axis-hours"
            style={{ height: `${(range.last - range.first) * PX_PER_MIN}px` }}
          >
            {Array.from(
              { length: (range.last - range.first) / 60 },
              (_, i) => range.first + i * 60,
            ).map((m) => (
              <span key={m} style={{ top: `${(m - range.first) * PX_PER_MIN}px` }}>
                {toHhmm(m)}
              </span>
            ))}
          </div>
        </div>
        {WEEK_ORDER.map((d) => (
          <DayColumn
            key={d}
            day={d}
            current={d === day}
            range={range}
            blocks={blocks.filter((b) => b.day === d)}
            busy={busy.filter((b) => b.day === d)}
            clashing={clashes.filter((c) => c.block.day === d).map((c) => c.block)}
            viewLabel={viewZone ? (b) => labelIn(b, props.timeZone, viewZone) : undefined}
            draft={draft?.day === d ? draft : null}
            onDraft={setDraft}
            onAdd={(b) => change([...blocks, b])}
            onReplace={(old, next) =>
              change([...blocks.filter((x) => x !== old), ...(next ? [next] : [])])
            }
          />
        ))}
      </div>
      <SlotsAge eventTypeId={props.eventTypeId} revision={revision} />
    </div>
  );
}
