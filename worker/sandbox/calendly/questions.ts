/**
 * Custom questions of the seeded event types (Calendly's shape, contract §2.2), and the check
 * `POST /invitees` makes: every answered question must exist; every required one must be answered.
 */
import type { CustomQuestion } from "../../db/schema";

const FOCUS: CustomQuestion = {
  name: "What would you like to focus on in this session?",
  type: "text",
  position: 0,
  enabled: true,
  required: true,
  answer_choices: [],
  include_other: false,
};
const AREAS: CustomQuestion = {
  name: "Which areas apply? (select all)",
  type: "multi_select",
  position: 1,
  enabled: true,
  required: false,
  answer_choices: ["Leadership", "Communication", "Career change", "Wellbeing"],
  include_other: true,
};
const PHONE: CustomQuestion = {
  name: "Phone number (optional)",
  type: "phone_number",
  position: 0,
  enabled: true,
  required: false,
  answer_choices: [],
  include_other: false,
};

const BY_SLUG: Record<string, CustomQuestion[]> = {
  "coaching-session": [FOCUS, AREAS],
  "strategy-session": [FOCUS],
  "intro-call": [PHONE],
};

export const questionsFor = (slug: string) => BY_SLUG[slug] ?? [];

/** A 400 detail for the first problem with the answers, or null when they are acceptable. */
export function checkAnswers(
  slug: string,
  answers: { question?: unknown; answer?: unknown }[],
): { parameter: string; message: string } | null {
  const questions = questionsFor(slug);
  for (const a of answers) {
    if (!questions.some((q) => q.name === a.question)) {
      return {
        parameter: "questions_and_answers",
        message: `Unknown question: ${String(a.question)}`,
      };
    }
  }
  for (const q of questions.filter((q) => q.required)) {
    const given = answers.find((a) => a.question === q.name);
    if (typeof given?.answer !== "string" || !given.answer.trim()) {
      return { parameter: "questions_and_answers", message: `${q.name} is required` };
    }
  }
  return null;
}
