/**
 * The filter row above a list (Sessions, Clients): one markup for search boxes, choices and dates,
 * so every list's filters look, label and behave the same.
 */
import type { ComponentChildren } from "preact";

export function Filters({ children }: { children: ComponentChildren }) {
  return <div class="filters">{children}</div>;
}

export function SearchField(props: {
  label: string;
  placeholder: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        type="search"
        placeholder={props.placeholder}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}

/** A select whose choices are [value, label] pairs; the value type flows to `onChange`. */
export function ChoiceField<T extends string>(props: {
  label: string;
  value: T;
  choices: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T)}>
        {props.choices.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DateField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  min?: string;
  disabled?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type="date"
        value={props.value}
        min={props.min}
        disabled={props.disabled}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
