import { useState } from "preact/hooks";
import { type Block, dayLabel, snap, toMinutes, type Weekday } from "./blocks";

export function AddBlockForm({ day, onAdd }: { day: Weekday; onAdd: (b: Block) => void }) {
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
        Add to {dayLabel(day)}
      </button>
    </form>
  );
}
