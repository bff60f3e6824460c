/**
 * Checks a client's answers against the event type's custom questions (Calendly's rules): required
 * ones answered, choices from the list (unless "other" is allowed), nothing unknown. Returns the
 * answers in Calendly's `questions_and_answers` shape, or field messages for a 400.
 */
import type { CustomQuestion } from "../db/schema";

export type Answer = { question: string; answer: string; position: number };
export type FieldIssue = { field: string; message: string };

export function checkAnswers(
  questions: CustomQuestion[],
  given: Record<string, string | string[]>,
): { answers: Answer[] } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  for (const name of Object.keys(given)) {
    if (!questions.some((q) => q.name === name)) {
      issues.push({ field: `answers.${name}`, message: "This question is not asked here." });
    }
  }
  const answers: Answer[] = [];
  for (const q of questions) {
    const raw = given[q.name];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .map((v) => v.trim())
      .filter(Boolean);
    const field = `answers.${q.name}`;
    if (values.length === 0) {
      if (q.required) issues.push({ field, message: "Please answer this question." });
      continue;
    }
    if (q.type !== "multi_select" && values.length > 1) {
      issues.push({ field, message: "Please give one answer." });
      continue;
    }
    const isChoice = q.type === "single_select" || q.type === "multi_select";
    const unknown = values.filter((v) => !q.answer_choices.includes(v));
    if (isChoice && unknown.length > 0 && !q.include_other) {
      issues.push({ field, message: `Choose from: ${q.answer_choices.join(", ")}.` });
      continue;
    }
    if (q.type === "phone_number" && !/^\+?[\d\s().-]{6,20}$/.test(values[0] ?? "")) {
      issues.push({ field, message: "Please enter a phone number." });
      continue;
    }
    answers.push({ question: q.name, answer: values.join("\n"), position: q.position });
  }
  return issues.length > 0 ? { issues } : { answers };
}
