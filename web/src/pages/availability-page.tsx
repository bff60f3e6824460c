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
import {
  type Block,
  type Busy,
  blocksToRules,
  busyOnWeekdays,
  conflicts,
  DAY_MINUTES,
  DEFAULT_RANGE,
  hourRange,
  labelIn,
  merge,
  type Rule,
  rulesToBlocks,
  snap,
  toHhmm,
  toMinutes,
  WEEKDAYS,
  type Weekday,
} from "../availability/blocks";
import { DateOverrides } from "../availability/date-overrides";
import { EmptyState, ErrorNotice, Spinner } from "../components/feedback";
import { toast } from "../components/toasts";
import { useRequest } from "../use-request";

const PX_PER_MIN = 12 / 15;
const ORDER: Weekday[] = [...WEEKDAYS.slice(1), "sunday"];
const label = (d: Weekday) => d[0]?.toUpperCase() + d.slice(1);

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
            {ORDER.map((d) => (
              <option key={d} value={d}>
                {label(d)}
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
                {label(block.day)} {toHhmm(b.start)}–{toHhmm(b.end)} (inside your{" "}
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
        {ORDER.map((d) => (
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

type Gesture = { kind: "new" | "move" | "resize"; anchor: number; block?: Block; moved: boolean };

/**
 * One day of the calendar. Pointer gestures: drag on empty space to draw a block, drag a block to
 * move it, drag its bottom edge to resize it, press it (without moving) to remove it. Keyboard:
 * Enter on a block removes it; the form above adds one.
 */
function DayColumn(props: {
  day: Weekday;
  current: boolean;
  /** The calendar's first and last minute (the same for every day, so the rows line up). */
  range: { first: number; last: number };
  blocks: Block[];
  busy: Busy[];
  clashing: Block[];
  viewLabel?: (b: Block) => string;
  draft: Block | null;
  onDraft: (b: Block | null) => void;
  onAdd: (b: Block) => void;
  onReplace: (old: Block, next: Block | null) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const { first, last } = props.range;
  const minuteAt = (clientY: number) => {
    const top = ref.current?.getBoundingClientRect().top ?? 0;
    return snap(first + (clientY - top) / PX_PER_MIN);
  };
  const span = (a: number, b: number): Block => ({
    day: props.day,
    start: Math.max(first, Math.min(a, b)),
    end: Math.min(last, Math.max(a, b)),
  });
  const preview = (g: Gesture, minute: number): Block => {
    if (g.kind === "new" || !g.block) return span(g.anchor, minute);
    if (g.kind === "resize") {
      return { ...g.block, end: Math.min(last, Math.max(g.block.start + 15, minute)) };
    }
    const length = g.block.end - g.block.start;
    const start = Math.min(last - length, Math.max(first, g.block.start + minute - g.anchor));
    return { ...g.block, start, end: start + length };
  };
  const blockAt = (target: EventTarget | null) => {
    const el = (target as HTMLElement | null)?.closest<HTMLElement>(".block[data-start]");
    return el ? props.blocks.find((b) => String(b.start) === el.dataset.start) : undefined;
  };
  return (
    <div class={`day-column ${props.current ? "current" : ""}`}>
      <h2 class="day-name">{label(props.day)}</h2>
      <div
        ref={ref}
        class="grid"
        data-testid={`day-${props.day}`}
        style={{ height: `${(last - first) * PX_PER_MIN}px` }}
        onPointerDown={(e) => {
          const block = blockAt(e.target);
          // The bottom 8 px of a block resize it (wherever the pointer lands inside the button).
          const bottom = (e.target as HTMLElement)
            .closest(".block")
            ?.getBoundingClientRect().bottom;
          const onHandle = bottom !== undefined && bottom - e.clientY <= 8;
          e.currentTarget.setPointerCapture?.(e.pointerId);
          const anchor = minuteAt(e.clientY);
          gesture.current = {
            kind: block ? (onHandle ? "resize" : "move") : "new",
            anchor,
            block,
            moved: false,
          };
          if (!block) props.onDraft(span(anchor, anchor + 15));
        }}
        onPointerMove={(e) => {
          const g = gesture.current;
          if (!g) return;
          const minute = minuteAt(e.clientY);
          if (minute !== g.anchor) g.moved = true;
          if (g.kind === "new" || g.moved) props.onDraft(preview(g, minute));
        }}
        onPointerUp={(e) => {
          const g = gesture.current;
          gesture.current = null;
          props.onDraft(null);
          if (!g) return;
          const next = preview(g, minuteAt(e.clientY));
          if (g.kind === "new") {
            if (next.end > next.start) props.onAdd(next);
          } else if (g.block) {
            props.onReplace(g.block, g.moved ? next : null); // a press without a move removes it
          }
        }}
      >
        {props.busy
          .filter((b) => b.end > first && b.start < last)
          .map((b) => (
            <div
              key={`busy-${b.start}`}
              class={`busy ${b.type}`}
              title={b.type === "external" ? "Busy in your calendar" : "Booked"}
              style={{
                top: `${(Math.max(b.start, first) - first) * PX_PER_MIN}px`,
                height: `${(Math.min(b.end, last) - Math.max(b.start, first)) * PX_PER_MIN}px`,
              }}
            />
          ))}
        {props.blocks.map((b) => (
          <button
            key={`${b.start}-${b.end}`}
            type="button"
            data-start={b.start}
            class={`block ${props.clashing.includes(b) ? "conflict" : ""}`}
            style={{
              top: `${(b.start - first) * PX_PER_MIN}px`,
              height: `${(b.end - b.start) * PX_PER_MIN}px`,
            }}
            aria-label={`${label(props.day)} ${toHhmm(b.start)}–${toHhmm(b.end)}, remove`}
            // Keyboard presses arrive as clicks with no pointer (detail 0); pointers use the gesture.
            onClick={(e) => e.detail === 0 && props.onReplace(b, null)}
          >
            {toHhmm(b.start)}–{toHhmm(b.end)}
            {props.viewLabel && <span class="also">{props.viewLabel(b)}</span>}
            <span class="handle" aria-hidden="true" />
          </button>
        ))}
        {props.draft && (
          <div
            class="block draft"
            style={{
              top: `${(props.draft.start - first) * PX_PER_MIN}px`,
              height: `${(props.draft.end - props.draft.start) * PX_PER_MIN}px`,
            }}
          />
        )}
      </div>
    </div>
  );
}

function AddBlockForm({ day, onAdd }: { day: Weekday; onAdd: (b: Block) => void }) {
  const [from, setFrom] = useState("09:00");
  const [to, setTo] = useState("12:00");
  const valid = toMinutes(from) < toMinutes(to);
  return (
    <form
      class="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onAdd({ day, start: snap(toMinutes(from)), end: snap(toMinutes(to)) });
      }}
    >
      <label>
        From{" "}
        <input
          type="time"
          step={900}
          value={from}
          onInput={(e) => setFrom(e.currentTarget.value)}
        />
      </label>
      <label>
        To <input type="time" step={900} value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={!valid}>
        Add to {label(day)}
      </button>
    </form>
  );
}

/** How many open slots the saved hours give this week and next, and how fresh that count is. */
function SlotsAge({ eventTypeId, revision }: { eventTypeId: string; revision: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 14 * 86_400_000).toISOString();
  const slots = useRequest(
    () => api.availability.$get({ query: { eventType: eventTypeId, from, to } }),
    [eventTypeId, revision],
  );
  if (slots.state !== "ready") return null;
  const minutes = Math.max(0, Math.round((now - Date.parse(slots.data.updatedAt)) / 60_000));
  return (
    <p class="muted" data-testid="slots-age">
      {slots.data.slots.length} open slots in the next two weeks · updated{" "}
      {minutes === 0 ? "just now" : `${minutes} min ago`}
    </p>
  );
}

function Templates({ blocks, onApply }: { blocks: Block[]; onApply: (b: Block[]) => void }) {
  const list = useRequest(() => api.availability.templates.$get(), []);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const items = list.state === "ready" ? list.data.items : [];
  const run = async (call: () => Promise<Parameters<typeof read>[0]>) => {
    setError(null);
    try {
      await read(await call());
      if (list.state !== "loading") list.retry();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div class="toolbar" aria-label="Templates">
      <label>
        Template{" "}
        <select value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          <option value="">Choose…</option>
          {items.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={!chosen}
        onClick={() => {
          const t = items.find((i) => i.id === chosen);
          if (t) onApply(t.blocks as Block[]);
        }}
      >
        Apply
      </button>
      <button
        type="button"
        disabled={!chosen}
        onClick={() => {
          if (confirm("Delete this template?"))
            run(() => api.availability.templates[":id"].$delete({ param: { id: chosen } }));
          setChosen("");
        }}
      >
        Delete
      </button>
      <label>
        Save current as{" "}
        <input
          value={name}
          placeholder="e.g. Winter hours"
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <button
        type="button"
        disabled={!name.trim()}
        onClick={() => {
          run(() => api.availability.templates.$post({ json: { name, blocks } }));
          setName("");
        }}
      >
        Save template
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

const BUFFER_CHOICES = [0, 5, 10, 15, 30, 45, 60, 90, 120, 150, 180];

/** Free minutes Calendly keeps before and after each booking of this (one-on-one) type. */
function BufferForm(props: { eventTypeId: string; before: number; after: number }) {
  const [before, setBefore] = useState(props.before);
  const [after, setAfter] = useState(props.after);
  const [saved, setSaved] = useState({ before: props.before, after: props.after });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await read(
        await api["event-types"][":id"].buffers.$put({
          param: { id: props.eventTypeId },
          json: { before, after },
        }),
      );
      setSaved(next);
      toast("Buffers saved to Calendly.");
    } catch (e) {
      setError(e as ApiError);
      setBefore(saved.before);
      setAfter(saved.after);
    } finally {
      setBusy(false);
    }
  };
  const select = (value: number, set: (n: number) => void, id: string) => (
    <select id={id} value={value} onChange={(e) => set(Number(e.currentTarget.value))}>
      {BUFFER_CHOICES.map((n) => (
        <option key={n} value={n}>
          {n} min
        </option>
      ))}
    </select>
  );
  return (
    <form class="toolbar" onSubmit={save} aria-label="Buffers">
      <label for="buffer-before">Buffer before</label>
      {select(before, setBefore, "buffer-before")}
      <label for="buffer-after">Buffer after</label>
      {select(after, setAfter, "buffer-after")}
      <button type="submit" disabled={busy || (before === saved.before && after === saved.after)}>
        {busy ? "Saving…" : "Save buffers"}
      </button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
