import { useRef } from "preact/hooks";
import { type Block, type Busy, dayLabel, snap, toHhmm, type Weekday } from "./blocks";

/** The calendar's scale: 12 px per 15 minutes (the snap), the same for the axis and every day. */
export const PX_PER_MIN = 12 / 15;

type Gesture = { kind: "new" | "move" | "resize"; anchor: number; block?: Block; moved: boolean };

/**
 * One day of the calendar. Pointer gestures: drag on empty space to draw a block, drag a block to
 * move it, drag its bottom edge to resize it, press it (without moving) to remove it. Keyboard:
 * Enter on a block removes it; the form above adds one.
 */
export function DayColumn(props: {
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
      <h2 class="day-name">{dayLabel(props.day)}</h2>
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
            aria-label={`${dayLabel(props.day)} ${toHhmm(b.start)}–${toHhmm(b.end)}, remove`}
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
