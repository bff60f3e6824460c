/**
 * The HTML part, rendered with preact-render-to-string: every string goes in as a text node or an
 * attribute, so the library escapes it (a coach's "<script>" or a client's answer is shown, never
 * run). Layout is a single centred column with inline styles, no tables and no fixed widths, so it
 * reflows from a 360 px phone to a desktop client; long links wrap instead of scrolling sideways.
 */
import { type ComponentChild, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { safeUrl } from "../../lib/safe-url";
import type { Link, MessageModel } from "./model";
import { LINK_VARIABLES, type Segment } from "./variables";

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const WRAP = "overflow-wrap:anywhere;word-break:break-word;";
const S = {
  body: `margin:0;padding:0;background:#f4f4f5;color:#18181b;font-family:${FONT};font-size:16px;line-height:1.5;${WRAP}`,
  outer: "max-width:560px;margin:0 auto;padding:24px 12px;box-sizing:border-box;",
  card: "background:#ffffff;border:1px solid #e4e4e7;border-radius:8px;padding:24px 20px;box-sizing:border-box;",
  heading: "margin:0 0 16px;font-size:22px;line-height:1.3;font-weight:600;",
  p: "margin:0 0 12px;",
  facts: "margin:16px 0;padding:12px 14px;background:#f8fafc;border-radius:6px;",
  factLabel: "display:block;font-size:13px;color:#52525b;",
  factValue: "display:block;margin:0 0 8px;font-weight:600;",
  factMuted: "display:block;margin:0 0 8px;color:#52525b;",
  sub: "margin:20px 0 8px;font-size:16px;font-weight:600;",
  item: "margin:0 0 10px;padding:0 0 10px;border-bottom:1px solid #e4e4e7;",
  actions: "margin:20px 0 4px;",
  button:
    "display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:6px;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;",
  secondary:
    "display:inline-block;margin:0 8px 8px 0;padding:9px 15px;border-radius:6px;border:1px solid #d4d4d8;color:#1d4ed8;text-decoration:none;",
  a: "color:#1d4ed8;",
  footer: "margin:16px 4px 0;font-size:13px;color:#71717a;",
  preheader: "display:none;max-height:0;overflow:hidden;opacity:0;color:transparent;",
};

/** Text with its line breaks kept as <br>. */
function lines(text: string): ComponentChild[] {
  const out: ComponentChild[] = [];
  text.split("\n").forEach((line, i) => {
    if (i > 0) out.push(h("br", null));
    if (line) out.push(line);
  });
  return out;
}

function copy(segments: Segment[], values: Record<string, string>): ComponentChild[] {
  return segments.flatMap((seg): ComponentChild[] => {
    if ("text" in seg) return lines(seg.text);
    const value = values[seg.variable] ?? "";
    const href = LINK_VARIABLES.has(seg.variable) ? safeUrl(value) : null;
    return href ? [h("a", { href, style: S.a }, value)] : lines(value);
  });
}

const linkButton = (l: Link, i: number) =>
  h("a", { href: l.href, style: i === 0 ? S.button : S.secondary }, l.label);

export function renderHtml(m: MessageModel): string {
  const card = h(
    "div",
    { style: S.card },
    h("h1", { style: S.heading }, m.heading),
    ...m.paragraphs.map((p) => h("p", { style: S.p }, ...copy(p, m.values))),
    m.facts.length
      ? h(
          "div",
          { style: S.facts },
          ...m.facts.map((f) =>
            h(
              "div",
              null,
              h("span", { style: S.factLabel }, f.label),
              h(
                "span",
                { style: f.muted ? S.factMuted : S.factValue },
                f.href ? h("a", { href: f.href, style: S.a }, f.value) : f.value,
              ),
            ),
          ),
        )
      : null,
    m.answers.length
      ? h(
          "div",
          null,
          h("h2", { style: S.sub }, "Answers"),
          ...m.answers.map((a) =>
            h(
              "p",
              { style: S.p },
              h("span", { style: S.factLabel }, a.question),
              ...lines(a.answer),
            ),
          ),
        )
      : null,
    m.agenda
      ? h(
          "div",
          null,
          h("h2", { style: S.sub }, m.agenda.length ? "Sessions" : "No sessions today"),
          ...m.agenda.map((item) =>
            h(
              "div",
              { style: S.item },
              h("span", { style: S.factValue }, `${item.time} · ${item.title}`),
              h("span", { style: S.factMuted }, item.client),
              ...item.links.flatMap((l) => [h("a", { href: l.href, style: S.a }, l.label), " "]),
            ),
          ),
        )
      : null,
    m.actions.length ? h("div", { style: S.actions }, ...m.actions.map(linkButton)) : null,
  );
  const footer = h(
    "p",
    { style: S.footer },
    m.footer.text,
    ...m.footer.links.flatMap((l) => [" · ", h("a", { href: l.href, style: S.a }, l.label)]),
  );
  const doc = h(
    "html",
    { lang: "en" },
    h(
      "head",
      null,
      h("meta", { charset: "utf-8" }),
      h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
      h("meta", { name: "color-scheme", content: "light" }),
      h("title", null, m.subject),
    ),
    h(
      "body",
      { style: S.body },
      h("span", { style: S.preheader }, m.preheader),
      h("div", { style: S.outer }, card, footer),
    ),
  );
  return `<!doctype html>${renderToString(doc)}`;
}
