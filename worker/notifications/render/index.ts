/**
 * renderMessage(scope, ctx): the one entry the notifications pipeline calls at send time. It takes
 * the coach's own copy for the kind (or the default), fills it from the context and renders the
 * subject, the HTML and text parts and, where a session exists, the .ics invite.
 */
import { getTemplate } from "../../db/notification-templates";
import type { CoachScope } from "../../env";
import { calendarInvite } from "./calendar-invite";
import { DEFAULT_TEMPLATES, type TemplateCopy } from "./defaults";
import { renderHtml } from "./html";
import { buildModel } from "./model";
import { renderText } from "./text";
import type { MessageContext, RenderedMessage } from "./types";
import { unknownVariables } from "./variables";

export type { MessageContext, RenderedMessage } from "./types";

/** Renders with the given copy (the coach's saved copy, an unsaved draft in a preview, a default). */
export function renderWithCopy(
  ctx: MessageContext,
  copy: TemplateCopy,
  now = new Date(),
): RenderedMessage {
  // Copy saved before a variable was withdrawn must not send "{{gone}}" to a client: fall back.
  const usable =
    unknownVariables(ctx.kind, copy.subject).length || unknownVariables(ctx.kind, copy.body).length
      ? DEFAULT_TEMPLATES[ctx.kind]
      : copy;
  const model = buildModel(ctx, usable);
  const invite = calendarInvite(ctx, now);
  return {
    subject: model.subject,
    html: renderHtml(model),
    text: renderText(model),
    headers: { "Auto-Submitted": "auto-generated", "X-Kairos-Kind": ctx.kind },
    attachments: invite ? [invite] : [],
  };
}

export async function renderMessage(
  scope: CoachScope,
  ctx: MessageContext,
  now = new Date(),
): Promise<RenderedMessage> {
  const saved = await getTemplate(scope, ctx.kind);
  return renderWithCopy(ctx, saved ?? DEFAULT_TEMPLATES[ctx.kind], now);
}
