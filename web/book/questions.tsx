/** The coach's custom questions (Calendly's types), with their error messages from the server. */
import type { EventType } from "./api";

type Answers = Record<string, string | string[]>;

export function Questions(props: {
  questions: EventType["questions"];
  answers: Answers;
  errors: Record<string, string>;
  onChange: (a: Answers) => void;
}) {
  const set = (name: string, value: string | string[]) =>
    props.onChange({ ...props.answers, [name]: value });
  return (
    <>
      {props.questions.map((q) => {
        const value = props.answers[q.name];
        const error = props.errors[`answers.${q.name}`];
        const label = `${q.name}${q.required ? "" : " (optional)"}`;
        const describedBy = error ? `q-${q.name}-error` : undefined;
        const message = error && (
          <span class="error" id={`q-${q.name}-error`}>
            {error}
          </span>
        );
        if (q.type === "multi_select") {
          const chosen = Array.isArray(value) ? value : [];
          return (
            <fieldset key={q.name} class="field">
              <legend>{label}</legend>
              {q.answerChoices.map((choice) => (
                <label key={choice} class="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(choice)}
                    onChange={(e) =>
                      set(
                        q.name,
                        e.currentTarget.checked
                          ? [...chosen, choice]
                          : chosen.filter((c) => c !== choice),
                      )
                    }
                  />
                  {choice}
                </label>
              ))}
              {message}
            </fieldset>
          );
        }
        const text = typeof value === "string" ? value : "";
        return (
          <label key={q.name} class="field">
            {label}
            {q.type === "text" ? (
              <textarea
                rows={3}
                value={text}
                required={q.required}
                onInput={(e) => set(q.name, e.currentTarget.value)}
                aria-describedby={describedBy}
              />
            ) : q.type === "single_select" ? (
              <select
                value={text}
                required={q.required}
                onChange={(e) => set(q.name, e.currentTarget.value)}
                aria-describedby={describedBy}
              >
                <option value="">Choose…</option>
                {q.answerChoices.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : (
              <input
                type={(q.type === "phone_number" ? "tel" : "text") as "text"}
                inputMode={q.type === "phone_number" ? "tel" : "text"}
                value={text}
                required={q.required}
                onInput={(e) => set(q.name, e.currentTarget.value)}
                aria-describedby={describedBy}
              />
            )}
            {message}
          </label>
        );
      })}
    </>
  );
}
