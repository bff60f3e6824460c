import { useState } from "preact/hooks";
import { type ApiError, api, read } from "../api";
import { ErrorNotice } from "../components/feedback";
import { useRequest } from "../use-request";
import type { Block } from "./blocks";

export function Templates({ blocks, onApply }: { blocks: Block[]; onApply: (b: Block[]) => void }) {
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
