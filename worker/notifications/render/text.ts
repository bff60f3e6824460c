/**
 * The plain-text part: the same model as the HTML, as readable lines. Every link is spelled out
 * ("Reschedule: https://…") because a text client shows no anchors.
 */
import type { MessageModel } from "./model";
import { fillPlain } from "./variables";

export function renderText(m: MessageModel): string {
  const out: string[] = [m.heading, ""];
  for (const p of m.paragraphs) out.push(fillPlain(p, m.values), "");
  if (m.facts.length) {
    for (const f of m.facts) out.push(`${f.label}: ${f.value}`);
    out.push("");
  }
  if (m.answers.length) {
    out.push("Answers");
    for (const a of m.answers) out.push(`${a.question}: ${a.answer}`);
    out.push("");
  }
  if (m.agenda) {
    out.push(m.agenda.length ? "Sessions" : "No sessions today");
    for (const i of m.agenda) {
      out.push(`- ${i.time} · ${i.title} · ${i.client}`);
      for (const l of i.links) out.push(`  ${l.label}: ${l.href}`);
    }
    out.push("");
  }
  for (const a of m.actions) out.push(`${a.label}: ${a.href}`);
  if (m.actions.length) out.push("");
  out.push("--", m.footer.text);
  for (const l of m.footer.links) out.push(`${l.label}: ${l.href}`);
  return `${out.join("\n")}\n`;
}
