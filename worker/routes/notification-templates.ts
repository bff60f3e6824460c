/**
 * The coach's own copy per kind of message (Settings → Messages): GET /api/notification-templates
 * lists the kinds, GET/PUT/DELETE …/{kind} read, save and reset one, POST …/{kind}/preview renders
 * a draft with the coach's latest past session (sample data when there is none). Unknown
 * {{variables}} are a 400 naming them; the renderer escapes everything, so copy cannot inject HTML.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import { getCoach } from "../db/coaches";
import {
  deleteTemplate,
  editedKinds,
  getTemplate,
  saveTemplate,
} from "../db/notification-templates";
import { invitees, sessions } from "../db/schema";
import type { CoachScope } from "../env";
import { AppError } from "../lib/errors";
import { safeUrl } from "../lib/safe-url";
import {
  isNotificationKind,
  KIND_INFO,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from "../notifications/kinds";
import { renderWithCopy } from "../notifications/render";
import { DEFAULT_TEMPLATES, type TemplateCopy } from "../notifications/render/defaults";
import { sampleContext } from "../notifications/render/sample";
import type { MessageContext, Person } from "../notifications/render/types";
import { KIND_VARIABLES, unknownVariables, VARIABLES } from "../notifications/render/variables";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const Kind = z.string().openapi({ param: { name: "kind", in: "path" }, example: "reminder" });
const Copy = z.object({
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(5000),
});
const Template = z
  .object({
    kind: z.string(),
    label: z.string(),
    recipient: z.enum(["client", "coach"]),
    category: z.string(),
    subject: z.string(),
    body: z.string(),
    edited: z.boolean(),
    defaults: z.object({ subject: z.string(), body: z.string() }),
    variables: z.array(z.object({ name: z.string(), description: z.string() })),
  })
  .openapi("NotificationTemplate");
const Preview = z
  .object({ subject: z.string(), html: z.string(), text: z.string(), sample: z.boolean() })
  .openapi("NotificationPreview");

function kindOf(value: string): NotificationKind {
  if (!isNotificationKind(value))
    throw new AppError(
      "not_found",
      `No message kind "${value}". Kinds: ${NOTIFICATION_KINDS.join(", ")}.`,
    );
  return value;
}

function checkVariables(kind: NotificationKind, copy: TemplateCopy) {
  const unknown = [
    ...new Set([...unknownVariables(kind, copy.subject), ...unknownVariables(kind, copy.body)]),
  ];
  if (unknown.length)
    throw new AppError(
      "validation_failed",
      `Unknown variable${unknown.length > 1 ? "s" : ""} for ${kind}: ${unknown.map((u) => `{{${u}}}`).join(", ")}.`,
      { details: { unknownVariables: unknown, available: KIND_VARIABLES[kind] } },
    );
}

function view(kind: NotificationKind, copy: TemplateCopy, edited: boolean) {
  const info = KIND_INFO[kind];
  return {
    kind,
    label: info.label,
    recipient: info.recipient,
    category: info.category,
    subject: copy.subject,
    body: copy.body,
    edited,
    defaults: DEFAULT_TEMPLATES[kind],
    variables: KIND_VARIABLES[kind].map((name) => ({ name, description: VARIABLES[name] })),
  };
}

/** The coach's latest past session with a client, as a preview context; null when none exists. */
async function pastSessionContext(
  scope: CoachScope,
  kind: NotificationKind,
  coach: Person,
  appUrl: string,
): Promise<MessageContext | null> {
  const [row] = await scope.db
    .select({ session: sessions, invitee: invitees })
    .from(sessions)
    .innerJoin(invitees, eq(invitees.sessionId, sessions.id))
    .where(and(eq(sessions.coachId, scope.coachId), lt(sessions.startsAt, new Date())))
    .orderBy(desc(sessions.startsAt), asc(invitees.createdAt))
    .limit(1);
  if (!row) return null;
  const sample = sampleContext(kind, coach, appUrl);
  const client: Person = {
    name: row.invitee.name,
    email: row.invitee.email,
    timeZone: row.invitee.timeZone ?? coach.timeZone,
  };
  const joinUrl = safeUrl((row.session.location?.join_url as string | undefined) ?? null);
  const location =
    typeof row.session.location?.location === "string" ? row.session.location.location : null;
  return {
    ...sample,
    recipient: KIND_INFO[kind].recipient === "client" ? client : coach,
    client,
    session: {
      title: row.session.name,
      startsAt: row.session.startsAt,
      endsAt: row.session.endsAt,
      joinUrl,
      location,
      answers: row.invitee.answers.map((a) => ({ question: a.question, answer: a.answer })),
    },
    calendar: sample.calendar ? { ...sample.calendar, uid: `${row.session.id}@kairos` } : null,
  };
}

const tags = ["Messages"];
const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/notification-templates",
  tags,
  summary: "Every kind of message with the coach's copy (or the default)",
  responses: { 200: json(z.object({ items: z.array(Template) }), "Templates"), ...guardedErrors },
});
const get = createRoute({
  ...coachOnly,
  method: "get",
  path: "/notification-templates/{kind}",
  tags,
  summary: "One kind's subject and body copy, its defaults and its variables",
  request: { params: z.object({ kind: Kind }) },
  responses: {
    200: json(Template, "Template"),
    404: json(ErrorBody, "No such kind"),
    ...guardedErrors,
  },
});
const put = createRoute({
  ...coachOnly,
  method: "put",
  path: "/notification-templates/{kind}",
  tags,
  summary: "Save the subject and body copy for one kind ({{variable}} placeholders)",
  request: {
    params: z.object({ kind: Kind }),
    body: { content: { "application/json": { schema: Copy } } },
  },
  responses: {
    200: json(Template, "Saved"),
    400: json(ErrorBody, "Invalid copy, or unknown variables (named in the message and details)"),
    404: json(ErrorBody, "No such kind"),
    ...guardedErrors,
  },
});
const reset = createRoute({
  ...coachOnly,
  method: "delete",
  path: "/notification-templates/{kind}",
  tags,
  summary: "Go back to the default copy for one kind",
  request: { params: z.object({ kind: Kind }) },
  responses: {
    200: json(Template, "Default restored"),
    404: json(ErrorBody, "No such kind"),
    ...guardedErrors,
  },
});
const preview = createRoute({
  ...coachOnly,
  method: "post",
  path: "/notification-templates/{kind}/preview",
  tags,
  summary: "Render a draft (or the saved copy) with the latest past session, or sample data",
  request: {
    params: z.object({ kind: Kind }),
    body: { content: { "application/json": { schema: Copy.partial() } }, required: false },
  },
  responses: {
    200: json(Preview, "Rendered message"),
    400: json(ErrorBody, "Unknown variables"),
    404: json(ErrorBody, "No such kind"),
    ...guardedErrors,
  },
});

export const notificationTemplateRoutes = apiRoutes()
  .openapi(list, async (c) => {
    const scope = c.var.scope;
    const edited = await editedKinds(scope);
    const items = await Promise.all(
      NOTIFICATION_KINDS.map(async (kind) =>
        view(
          kind,
          edited.has(kind)
            ? ((await getTemplate(scope, kind)) ?? DEFAULT_TEMPLATES[kind])
            : DEFAULT_TEMPLATES[kind],
          edited.has(kind),
        ),
      ),
    );
    return c.json({ items }, 200);
  })
  .openapi(get, async (c) => {
    const kind = kindOf(c.req.valid("param").kind);
    const saved = await getTemplate(c.var.scope, kind);
    return c.json(view(kind, saved ?? DEFAULT_TEMPLATES[kind], saved != null), 200);
  })
  .openapi(put, async (c) => {
    const kind = kindOf(c.req.valid("param").kind);
    const copy = c.req.valid("json");
    checkVariables(kind, copy);
    const saved = await saveTemplate(c.var.scope, kind, copy);
    return c.json(view(kind, saved, true), 200);
  })
  .openapi(reset, async (c) => {
    const kind = kindOf(c.req.valid("param").kind);
    await deleteTemplate(c.var.scope, kind);
    return c.json(view(kind, DEFAULT_TEMPLATES[kind], false), 200);
  })
  .openapi(preview, async (c) => {
    const kind = kindOf(c.req.valid("param").kind);
    const scope = c.var.scope;
    const draft = c.req.valid("json") ?? {};
    const saved = await getTemplate(scope, kind);
    const base = saved ?? DEFAULT_TEMPLATES[kind];
    const copy = { subject: draft.subject ?? base.subject, body: draft.body ?? base.body };
    checkVariables(kind, copy);
    const coachRow = await getCoach(scope.db, scope.coachId);
    if (!coachRow) throw new AppError("unauthenticated", "Please sign in to continue.");
    const coach: Person = {
      name: coachRow.name,
      email: coachRow.email,
      timeZone: coachRow.timeZone,
    };
    const real = await pastSessionContext(scope, kind, coach, c.env.APP_URL);
    const ctx = real ?? sampleContext(kind, coach, c.env.APP_URL);
    const m = renderWithCopy(ctx, copy);
    return c.json({ subject: m.subject, html: m.html, text: m.text, sample: real == null }, 200);
  });
