/**
 * The pipeline's two collaborators, in one place so each swaps in with one line: the renderer
 * (render/, the content side) and the delivery checks (preferences/suppression/unsubscribe, the
 * delivery side, ./preferences). The renderer below is a minimal stand-in with render/index.ts's
 * signature until that lands.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { CoachScope } from "../env";
import type { Attachment, MessageContext, RenderedMessage } from "./render/types";

export { deliveryBlock, unsubscribeHeaders } from "./preferences";

/** Stand-in for render/index.ts's renderMessage. */
export async function renderMessage(
  _scope: CoachScope,
  ctx: MessageContext,
): Promise<RenderedMessage> {
  const zone = ctx.recipient.timeZone || "UTC";
  const when = ctx.session
    ? new Intl.DateTimeFormat("en-US", {
        dateStyle: "full",
        timeStyle: "short",
        timeZone: zone,
      }).format(ctx.session.startsAt)
    : "";
  const title = ctx.session?.title ?? "Kairos";
  const subject = `${ctx.kind.replaceAll("_", " ")}: ${title}${when ? ` — ${when} (${zone})` : ""}`;
  const text = [subject, ctx.links.manage].join("\n\n");
  const html = `<p>${escapeHtml(subject)}</p><p><a href="${escapeHtml(ctx.links.manage)}">Manage</a></p>`;
  const attachments: Attachment[] = [];
  if (ctx.session && ctx.calendar) {
    const cal = ical({
      prodId: "//Kairos//Sessions//EN",
      method:
        ctx.calendar.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    });
    cal.createEvent({
      id: ctx.calendar.uid,
      sequence: ctx.calendar.sequence,
      start: ctx.session.startsAt,
      end: ctx.session.endsAt,
      summary: title,
      status:
        ctx.calendar.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: { name: ctx.coach.name, email: ctx.coach.email },
    });
    attachments.push({
      filename: "invite.ics",
      contentType: `text/calendar; charset=utf-8; method=${ctx.calendar.method}`,
      content: cal.toString(),
    });
  }
  return { subject, html, text, headers: {}, attachments };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
